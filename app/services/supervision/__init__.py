"""督查督办: supervision items, their lifecycle, the ledger, the sheet import and the periodic notice."""
