"""Score the pipeline against hand annotations, following the corpus README's protocol.

``gold`` reads the annotations, ``predicted`` the exported tables, ``score`` compares them and
``listing`` prints the result.
"""

from pipeline.evaluate.gold import (
                                    LABELS,
                                    EntityLabel,
                                    GoldDoc,
                                    GoldEntity,
                                    GoldError,
                                    load_aliases,
                                    load_gold,
)
from pipeline.evaluate.listing import format_report
from pipeline.evaluate.predicted import PredictedDoc, PredictedEntity, predicted_docs_from_tables
from pipeline.evaluate.score import PRF, DateError, EntityError, Report, normalise, score, url_date

__all__ = ["LABELS", "PRF", "DateError", "EntityError", "EntityLabel", "GoldDoc", "GoldEntity",
           "GoldError", "PredictedDoc", "PredictedEntity", "Report", "format_report",
           "load_aliases", "load_gold", "normalise", "predicted_docs_from_tables", "score",
           "url_date"]
