"""公文: outgoing and incoming documents, their lists and their windows."""
