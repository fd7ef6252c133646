"""Flask extensions, created unbound; ``create_app`` wires each with ``init_app``."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase, registry

from app.dbtypes import UTCDateTime


class Base(DeclarativeBase):
    # every datetime column is an aware UTC one, on SQLite as on PostgreSQL
    registry = registry(type_annotation_map={datetime: UTCDateTime()})


db = SQLAlchemy(model_class=Base)

# Every table derives from Model: db.Model at run time (Base with Flask-SQLAlchemy's table
# naming and query property), Base for the type checker, which cannot see through db.Model.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
