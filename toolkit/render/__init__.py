"""Stage 4, render: the manifest, facts and check result -> the completed application form."""
