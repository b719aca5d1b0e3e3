"""ESCAPE Batch Portal's DiracX extension.

Only one thing is overridden: the ``wms`` access policy, so that a principal
investigator's group may read and manage the jobs of the groups it leads.
Everything else (services, config schema, client) falls back to plain DiracX.
"""
