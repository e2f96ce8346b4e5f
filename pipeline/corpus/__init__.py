"""The corpus stage: every release's results → identities, events and the network."""
