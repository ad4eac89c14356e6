"""Views of one checked registry: table, JSON, HTML report, digest, calendar."""
