"""Reporting: the PRISMA 2020 flow diagram and, later, tables, figures, report builders and checklists."""
