"""The console's screens: help, pickers, dialogs, search."""
