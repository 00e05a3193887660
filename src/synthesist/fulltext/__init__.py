"""Full texts: reports (the documents found for a record), their text page by page, records that
could not be retrieved, and reports grouped into studies (PRISMA 2020: one study, several reports)."""
