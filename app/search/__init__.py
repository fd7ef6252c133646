"""Search over what each role may see: a folded copy of each document's searchable words
(number, IIN/BIN, author, short content, text), one query function, and the page."""
