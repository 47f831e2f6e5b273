"""督查督办\x27s windows: the ledger page, the item window, the register form, the import, the notice and the campaigns."""
