"""The document as every stage keeps it: the record, its files, its sender, its states."""
