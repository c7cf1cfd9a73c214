"""Question -> Answer: evidence, the fitted decision, generation, prompts and the answer types.

Imports retrieval and settings; never the fronts.
"""
