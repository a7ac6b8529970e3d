"""Report building: the Standing Committee's status report, a supervising body's oversight
report and a body's own report, as PDFs in the Party document format (Hướng dẫn 36-HD/VPTW)
with an .xlsx workbook of the same tables.

- `as_of`: the tracking data as it stood at a moment, rebuilt from the change history;
- `standing_committee`, `oversight`, `body`: one context builder per kind of report;
- `tables`, `charts`: the tables and the server-made SVG charts they share;
- `rendering`: the one helper that renders `templates/reports/<name>.html` to PDF, fetching
  nothing but the project's own static files;
- `workbook`: the tables as an .xlsx workbook;
- `build`: picks the builder for a generated report and makes both files.

Glossary: báo cáo (report), tình hình, kết quả thực hiện (progress and results), nơi nhận
(recipients), thể thức văn bản (document format), căn cứ (evidence), ý kiến giám sát
(finding).
"""
