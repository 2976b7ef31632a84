"""The ground floor: utilities every app may use; it imports no app of its own."""
