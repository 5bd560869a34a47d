"""Reports for the headteacher's file and the office: printable PDF, CSV and Markdown.

`violations_report` (confidential, names children involved) and `event_summary` (no
names) gather their figures once and render them in each format; `pdf` is the shared A4
layout and `chart` the check-ins bar chart. CSV rows are written by the CLI through
`kiosk.cli.base.write_csv`, which neutralises spreadsheet formulas.
"""
