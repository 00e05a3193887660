"""The review report: a format-neutral model (:mod:`.model`) and its Markdown, HTML and DOCX renderers."""
