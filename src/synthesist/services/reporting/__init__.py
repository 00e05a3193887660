"""The PRISMA numbers and the report."""
