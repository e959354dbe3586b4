"""Google account connectors: shared OAuth (auth), People API contacts, Gmail and Calendar."""
