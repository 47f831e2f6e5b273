"""信访: registration and repeats (records, repeats), the acts on a case (lifecycle), lists and screening."""
