"""FAQ: the knowledge base and its search. The analyzer, stemmers, typo index, ranking and
snippets here are pure (no I/O); the engines that store and fetch articles build on them."""

from .analyzer import (
    Query,
    QueryTerm,
    analyze,
    analyze_query,
    analyze_words,
    compile_synonyms,
    fold,
    stem,
    tokenize,
)
from .ranking import (
    AnalyzedArticle,
    CorpusStats,
    MatchKind,
    analyze_article,
    article_words,
    expand_query,
    group_terms,
    rank,
    score,
)
from .snippets import snippet
from .typos import Vocabulary, deletes, within_one_edit

__all__ = [
    "AnalyzedArticle",
    "CorpusStats",
    "MatchKind",
    "Query",
    "QueryTerm",
    "Vocabulary",
    "analyze",
    "analyze_article",
    "analyze_query",
    "analyze_words",
    "article_words",
    "compile_synonyms",
    "deletes",
    "expand_query",
    "fold",
    "group_terms",
    "rank",
    "score",
    "snippet",
    "stem",
    "tokenize",
    "within_one_edit",
]
