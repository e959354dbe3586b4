"""Email file connectors (mbox, Maildir, .eml) that read message headers only, at mailbox scale."""
