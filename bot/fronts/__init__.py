"""Where answers meet people: the CLI, the terminal chat, the Telegram bot, and their layout."""
