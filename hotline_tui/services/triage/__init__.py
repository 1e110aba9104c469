"""An analyst's work on reports: the queue, the assessment, what waits for each role."""
