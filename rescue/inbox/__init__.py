"""The in-app inbox: what each person needs to know about the cases they work on."""
