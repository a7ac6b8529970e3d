"""Generated reports: the Standing Committee's status report, a supervising body's oversight
report and a body's own report, built from the tracking data (tasks) and the indicators as they
stood at a moment, as PDFs in the Party document format (Hướng dẫn 36-HD/VPTW) with an .xlsx
workbook of the same tables, and kept. This app sits above tasks and indicators: it reads both,
and neither imports it.

- `models`, `services`, `permissions`, `views`, `jobs`: the kept reports, asking for one and
  building it in the task cluster, who may ask and read, the pages and the queued build;
- `as_of`: the tracking data as it stood at a moment, rebuilt from the change history;
- `standing_committee`, `oversight`, `body`: one context builder per kind of report;
- `tables`, `charts`: the tables and the server-made SVG charts they share;
- `rendering`: the one helper that renders `templates/reports/<name>.html` to PDF, fetching
  nothing but the project's own static files;
- `workbook`: the tables as an .xlsx workbook;
- `build`: picks the builder for a generated report and makes both files.

Glossary: generated report: báo cáo (a kept PDF, with its workbook, built from the data);
tình hình, kết quả thực hiện (progress and results), nơi nhận (recipients), thể thức văn bản
(document format), căn cứ (evidence), ý kiến giám sát (finding).
"""
