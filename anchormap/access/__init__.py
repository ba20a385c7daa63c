"""Who may do what: people, their roles and the checks every write to the store makes."""
