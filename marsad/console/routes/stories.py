"""Stories: what is happening now, ranked by growth; one story; one retained article
(its id is what a dry-run by article id takes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi import Path as PathParam

from marsad.console.dependencies import CurrentSettings, Viewer
from marsad.console.stories_service import StoriesView

router = APIRouter(tags=["stories"])

Hours = Annotated[float, Query(gt=0, le=24 * 14, description="how far back to read articles")]
StoryId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.:-]{1,200}$")]
ArticleId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.:-]{1,200}$")]


@router.get("/api/stories")
def ranked(
    user: Viewer, settings: CurrentSettings, hours: Hours = 24, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    return StoriesView(settings).ranked(hours, limit)


@router.get("/api/stories/{story_id}")
def story(story_id: StoryId, user: Viewer, settings: CurrentSettings, hours: Hours = 24) -> dict[str, Any]:
    return StoriesView(settings).story(story_id, hours)


@router.get("/api/articles/{article_id}")
def article(article_id: ArticleId, user: Viewer, settings: CurrentSettings, hours: Hours = 72) -> dict[str, Any]:
    return StoriesView(settings).article(article_id, hours)
