"""Isnad's bot: the answer step (isnad.bot.answer) and the fronts that show it (isnad.bot.fronts)."""
