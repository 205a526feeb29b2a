"""Stage 5, review: many dossiers at once, summaries for reviewers, and the award ledger."""
