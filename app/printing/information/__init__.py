"""信息调研's printed forms: the 《政务信息》 issue in the briefing layout, the notice with its chart, the study
rotation."""
