"""Publications: the network's statements, appeals, press releases and reports."""
