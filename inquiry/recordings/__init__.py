"""Voice and video evidence sent by witnesses: the recordings, their transcripts and confirmations."""
