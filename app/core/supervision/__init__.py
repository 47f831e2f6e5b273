"""督查督办's rules, apart from any database: where items come from, what each priority class asks, what the
periodic notice counts, and what a row of the target-decomposition sheet must hold (DOMAIN.md §3)."""
