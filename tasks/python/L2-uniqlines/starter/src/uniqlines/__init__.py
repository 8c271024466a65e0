"""uniqlines: print each distinct input line once, in first-seen order."""
