"""信访: the page, the registration form and the case window."""
