"""What upper apps tell applications, filled in their AppConfig.ready(): applications never
imports them."""

from cohorts.registries import Registry

# user → the ids of the applications they have a confirmed conflict of interest with, as a
# subquery (values of one column), or None: staff pages and exports never show those.
conflicted_with = Registry(default=None)
