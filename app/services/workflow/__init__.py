"""The workflow's use cases, for every area's records: moves through a flow (moves), a record's flow
detail (detail), the 工作台's to-dos and parallel work items (todo, work_items), 催办 (urges), paged lists
(worklist) and who may see a record in a flow (visibility)."""
