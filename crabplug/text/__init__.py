"""Reading an answer: sentences, words, keywords, and where two regex engines read a text alike.

- ``sentences``: NLTK's Punkt sentence splitter in one pass (``punkt_spans`` holds its span logic)
- ``words``: NLTK's word and Treebank tokenizers, fast
- ``keywords``: content keywords of a text (fast or YAKE), stop-words
- ``regex_agreement``: where Python's ``re`` and the ``regex`` module give the same answer on a text
"""
