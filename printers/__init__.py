"""Receipt rendering and delivery to ESC/POS printers. Knows nothing of Flask or the database."""
