"""Labels for figures in English and Swedish: metrics, parameters, presets, units, titles.

Every metric of the engine's table has a short label in both languages, the
unit as a reader should see it on an axis, and the direction that counts as
better (+1 higher, -1 lower, 0 neither; used to mark Pareto fronts). A metric
or parameter missing here falls back to the file's ``long_name`` and
``units`` attributes, so a new metric in the engine still gets a labelled
axis.
"""

LANGS = ("en", "sv")

#: Units as shown on axes: key -> (English, Swedish).
UNITS = {
    "score": ("0–1", "0–1"),
    "diff": ("difference, 0–1 scale", "skillnad, skala 0–1"),
    "sd": ("SD, 0–1 scale", "SD, skala 0–1"),
    "share_needs": ("% of needs", "% av behoven"),
    "share_staff": ("% of staff", "% av personalen"),
    "share_staff_week": ("% of staff per week", "% av personalen per vecka"),
    "share_hours": ("% of hours worked", "% av arbetstiden"),
    "share_mgr": ("% of manager hours", "% av chefernas tid"),
    "share_dims": ("% of dimensions right", "% av dimensionerna rätt"),
    "cases_week": ("cases per week", "ärenden per vecka"),
    "cases": ("cases", "ärenden"),
    "errors_week": ("errors per week", "fel per vecka"),
    "events_week": ("per week", "per vecka"),
    "staff_week": ("employees per week", "medarbetare per vecka"),
    "audits_week": ("audits per week", "granskningar per vecka"),
    "per_case": ("per case", "per ärende"),
    "weeks": ("weeks", "veckor"),
    "sek_week": ("SEK per week", "kr per vecka"),
    "sek_case": ("SEK per case", "kr per ärende"),
    "budget": ("% of budget, + = over", "% av budget, + = över"),
    "ratio": ("% of contracted hours", "% av avtalad arbetstid"),
    "index": ("index", "index"),
    "knowledge": ("−1 to 1, 0 = chance", "−1 till 1, 0 = slump"),
    "hazards": ("uncorrected serious errors", "okorrigerade allvarliga fel"),
    "per_year": ("per year", "per år"),
}

#: units shown in per cent: the data are shares (0-1), the axes show 0-100 %
PERCENT_UNITS = {"share_needs", "share_staff", "share_staff_week", "share_hours", "share_mgr",
                 "share_dims", "budget", "ratio"}

#: metric -> (English label, Swedish label, unit key, better direction)
METRICS = {
    "quality_true": ("True quality", "Verklig kvalitet", "score", 1),
    "quality_measured": ("Measured quality", "Mätt kvalitet", "score", 0),
    "quality_gap": ("Measured minus true quality", "Mätt minus verklig kvalitet", "diff", -1),
    "quality_complex": ("True quality, complex cases", "Verklig kvalitet, komplexa ärenden", "score", 1),
    "quality_sd": ("Spread of quality between cases", "Kvalitetsspridning mellan ärenden", "sd", -1),
    "equal_gap": ("Equal-treatment gap", "Skillnad i likabehandling", "diff", -1),
    "needs_met": ("Needs met", "Tillgodosedda behov", "share_needs", 1),
    "cases_arrived": ("New cases", "Nya ärenden", "cases_week", 0),
    "cases_completed": ("Cases completed", "Avslutade ärenden", "cases_week", 1),
    "cases_turned_away": ("Cases turned away", "Avvisade ärenden", "cases_week", -1),
    "backlog": ("Backlog", "Ärendekö", "cases", -1),
    "wait_mean": ("Waiting time", "Väntetid", "weeks", -1),
    "satisfaction": ("Citizen satisfaction", "Medborgarnas nöjdhet", "score", 1),
    "citizen_trust": ("Citizens' trust", "Medborgarnas tillit", "score", 1),
    "skill_mean": ("Skill ('can')", "Kompetens (kan)", "score", 1),
    "skill_sd": ("Spread of skill", "Spridning i kompetens", "sd", 0),
    "motivation_mean": ("Motivation ('want')", "Motivation (vill)", "score", 1),
    "motivation_sd": ("Spread of motivation", "Spridning i motivation", "sd", 0),
    "safety_mean": ("Psychological safety ('dare')", "Psykologisk trygghet (vågar)", "score", 1),
    "safety_sd": ("Spread of safety", "Spridning i trygghet", "sd", 0),
    "strain_mean": ("Strain", "Belastning", "score", -1),
    "strain_sd": ("Spread of strain", "Spridning i belastning", "sd", 0),
    "burnout_share": ("Burnt-out staff", "Utbrända medarbetare", "share_staff", -1),
    "turnover": ("Staff turnover", "Personalomsättning", "share_staff_week", -1),
    "removals": ("Employees removed", "Avskedade medarbetare", "staff_week", 0),
    "trust_in_manager": ("Trust in manager", "Tillit till chefen", "score", 1),
    "effort_mean": ("Effort", "Arbetsinsats", "score", 1),
    "effort_reciprocal": ("Effort, reciprocal types", "Arbetsinsats, ömsesidiga", "score", 1),
    "effort_self_interested": ("Effort, self-interested types", "Arbetsinsats, egennyttiga", "score", 1),
    "motivation_reciprocal": ("Motivation, reciprocal types", "Motivation, ömsesidiga", "score", 1),
    "shirking_share": ("Shirking staff", "Medarbetare som smiter", "share_staff", -1),
    "time_citizen": ("Time with citizens", "Tid med medborgarna", "share_hours", 1),
    "time_documentation": ("Time on documentation", "Tid för dokumentation", "share_hours", -1),
    "time_collaboration": ("Time on collaboration", "Tid för samverkan", "share_hours", 0),
    "time_learning": ("Time on learning", "Tid för lärande", "share_hours", 0),
    "time_audit": ("Time in audits", "Tid i granskningar", "share_hours", 0),
    "utilisation": ("Utilisation", "Resursutnyttjande", "ratio", 0),
    "overtime_share": ("Overtime", "Övertid", "ratio", -1),
    "manager_trust": ("Managers' trust in staff", "Chefernas tillit till medarbetarna", "score", 1),
    "audits": ("Audits", "Granskningar", "audits_week", 0),
    "audit_rate": ("Audits per case", "Granskningar per ärende", "per_case", 0),
    "audits_forgone": ("Audits forgone", "Uteblivna granskningar", "audits_week", -1),
    "manager_time_control": ("Manager time on audits", "Chefstid för granskning", "share_mgr", 0),
    "manager_time_reporting": ("Manager time reporting upward", "Chefstid för rapportering uppåt",
                               "share_mgr", -1),
    "manager_time_support": ("Manager time for support", "Chefstid för stöd och ledarskap",
                             "share_mgr", 1),
    "control_effective": ("Effective control intensity", "Effektiv kontrollintensitet", "score", 0),
    "mandate_effective": ("Effective mandate", "Effektivt mandat", "score", 0),
    "chain_pressure": ("Pressure from above", "Tryck uppifrån", "score", -1),
    "escalations": ("Escalated cases", "Eskalerade ärenden", "cases_week", 0),
    "errors_minor": ("Minor errors", "Mindre fel", "errors_week", -1),
    "errors_serious": ("Serious errors", "Allvarliga fel", "errors_week", -1),
    "errors_reported": ("Errors reported", "Rapporterade fel", "errors_week", 0),
    "errors_detected": ("Errors found by audits", "Fel upptäckta vid granskning", "errors_week", 0),
    "errors_hidden": ("Hidden errors", "Dolda fel", "errors_week", -1),
    "serious_hidden": ("Hidden serious errors", "Dolda allvarliga fel", "errors_week", -1),
    "serious_error_rate": ("Serious errors per case", "Allvarliga fel per ärende", "per_case", -1),
    "shirking_detected": ("Shirking found", "Upptäckt smitning", "events_week", 0),
    "sanctions": ("Sanctions for minor errors", "Sanktioner för mindre fel", "events_week", 0),
    "learning_events": ("Errors used for learning", "Fel som används för lärande", "events_week", 1),
    "serious_acted": ("Serious problems acted on", "Åtgärdade allvarliga problem", "events_week", 0),
    "hazards": ("Latent hazards", "Latenta risker", "hazards", -1),
    "incidents": ("Serious incidents", "Allvarliga händelser", "events_week", -1),
    "code_knowledge": ("Organisational knowledge", "Organisationens kunskap", "knowledge", 1),
    "code_knowledge_share": ("Code knowledge", "Kodens kunskap", "share_dims", 1),
    "staff_knowledge": ("Staff knowledge", "Medarbetarnas kunskap", "share_dims", 1),
    "knowledge_fast": ("Fast learners' knowledge", "Snabba lärandes kunskap", "share_dims", 1),
    "knowledge_slow": ("Slow learners' knowledge", "Långsamma lärandes kunskap", "share_dims", 1),
    "collaborations": ("Cases across units", "Ärenden över enhetsgränser", "cases_week", 0),
    "handoff_failures": ("Failed hand-offs", "Misslyckade överlämningar", "cases_week", -1),
    "cost": ("Cost", "Kostnad", "sek_week", -1),
    "cost_per_case": ("Cost per case", "Kostnad per ärende", "sek_case", -1),
    "control_cost": ("Cost of control", "Kontrollkostnad", "sek_week", -1),
    "budget_deviation": ("Budget deviation", "Budgetavvikelse", "budget", -1),
    "service_value": ("Service value", "Tjänstevärde", "score", 1),
    "outcome_index": ("Outcome index", "Utfallsindex", "index", 1),
    "cases_abandoned": ("Needs withdrawn while waiting", "Behov som drogs tillbaka i kön", "cases_week", -1),
    "wait_queue": ("Time in the queue", "Tid i kön", "weeks", -1),
    "compliance_share": ("Self-interested staff who comply", "Egennyttiga som följer normen", "share_staff", 1),
    "perceived_risk": ("Perceived risk of detection", "Upplevd upptäcktsrisk", "score", 0),
    "stayers_share": ("Staff with two years or more", "Personal med minst två år", "share_staff", 0),
    "skill_stayers": ("Skill, stayers", "Kompetens, kvarstannande", "score", 1),
    "motivation_stayers": ("Motivation, stayers", "Motivation, kvarstannande", "score", 1),
    "effort_stayers": ("Effort, stayers", "Arbetsinsats, kvarstannande", "score", 1),
    "strain_stayers": ("Strain, stayers", "Belastning, kvarstannande", "score", -1),
    "absence_share": ("Staff absent", "Frånvarande medarbetare", "share_staff", -1),
    "time_meetings": ("Time in meetings", "Tid i möten", "share_hours", 0),
    "actions_forgone": ("Actions forgone (no manager time)", "Uteblivna åtgärder (ingen chefstid)", "events_week", -1),
    "manager_time_meetings": ("Manager time in meetings", "Chefstid i möten", "share_mgr", 0),
    "manager_time_action": ("Manager time acting on problems", "Chefstid för åtgärder", "share_mgr", 0),
    "support_shortfall": ("Support managers had no time for", "Stöd som chefen saknade tid för", "share_staff", -1),
}

#: parameter -> (English label, Swedish label); units come from the file.
PARAMETERS = {
    "baseline_trust": ("Baseline trust", "Grundtillit"),
    "mandate": ("Mandate", "Mandat"),
    "control_intensity": ("Control intensity", "Kontrollintensitet"),
    "control_selectivity": ("Control selectivity", "Kontrollens selektivitet"),
    "control_mode": ("Control mode (0 measurement, 1 dialogue)", "Kontrollform (0 mätning, 1 dialog)"),
    "error_tolerance": ("Tolerance of minor errors", "Tolerans för mindre fel"),
    "firmness": ("Firmness on serious problems", "Fasthet vid allvarliga problem"),
    "support": ("Support", "Stöd"),
    "knowledge": ("Knowledge lever", "Kunskap"),
    "openness": ("Openness", "Öppenhet"),
    "holistic_view": ("Holistic view", "Helhetssyn"),
    "citizen_focus": ("Citizen focus", "Medborgarfokus"),
    "rule_frame": ("Rule frame", "Regelram"),
    "co_creation": ("Co-creation", "Samskapande"),
    "targeted_grants": ("Targeted grants", "Riktade statsbidrag"),
    "trust_from_above": ("Trust from above", "Tillit uppifrån"),
    "units": ("Units", "Enheter"),
    "employees": ("Employees", "Medarbetare"),
    "citizens": ("Citizens", "Medborgare"),
    "steps": ("Horizon", "Tidshorisont"),
    "self_interested_share": ("Share of self-interested staff", "Andel egennyttiga medarbetare"),
    "motivation_baseline": ("Baseline motivation", "Grundmotivation"),
    "need_rate": ("Need rate", "Behovsfrekvens"),
    "complexity_mean": ("Mean complexity of needs", "Behovens genomsnittliga komplexitet"),
    "severity_mean": ("Mean severity", "Genomsnittlig allvarlighet"),
    "weak_voice_share": ("Share of weak-voice citizens", "Andel medborgare med svag röst"),
    "voice_gap": ("Voice gap", "Röstgap"),
    "unit_heterogeneity": ("Unit heterogeneity", "Skillnad mellan enheter"),
    "crowding_out": ("Crowding out", "Undanträngning"),
    "crowding_in": ("Crowding in", "Förstärkning av motivation"),
    "crowding_task": ("Task dependence of crowding out", "Undanträngningens beroende av uppgiften"),
    "opacity": ("Opacity of complex cases to measurement", "Komplexa ärendens svårmätbarhet"),
    "audit_correction": ("Correction by review", "Rättelse vid granskning"),
    "rework_hours": ("Rework per corrected case", "Omarbete per rättat ärende"),
    "gaming": ("Gaming", "Målförskjutning"),
    "deterrence": ("Deterrence", "Avskräckning"),
    "error_rate": ("Base error rate", "Grundläggande felrisk"),
    "quit_base": ("Base quit rate", "Grundläggande avgångsrisk"),
    "budget_margin": ("Budget margin", "Budgetmarginal"),
    "socialisation_rate": ("Socialisation rate (p1)", "Socialiseringstakt (p1)"),
    "socialisation_rate_fast": ("Fast learners' socialisation rate (p1)",
                                "Snabba lärandes socialiseringstakt (p1)"),
    "fast_learner_share": ("Share of fast learners", "Andel snabba lärande"),
    "code_learning_rate": ("Code learning rate (p2)", "Kodens inlärningstakt (p2)"),
    "turbulence": ("Turbulence (p4)", "Turbulens (p4)"),
}

#: preset names (used as point labels) -> (English, Swedish)
PRESETS = {
    "control-based": ("Control-based", "Kontrollbaserad"),
    "balanced": ("Balanced", "Balanserad"),
    "trust-based": ("Trust-based", "Tillitsbaserad"),
    "naive-trust": ("Naive trust", "Naiv tillit"),
    "zero-tolerance": ("Zero tolerance", "Nolltolerans"),
    "targeted-grants": ("Targeted grants", "Riktade statsbidrag"),
    "march1991": ("March (1991)", "March (1991)"),
}

#: units of parameters (the file's `units`) -> (English, Swedish)
PARAM_UNITS = {
    "1": ("", ""),
    "h": ("h", "h"),
    "week": ("weeks", "veckor"),
    "1/week": ("per week", "per vecka"),
    "SEK": ("SEK", "kr"),
    "SEK/h": ("SEK/h", "kr/h"),
}

#: free text: key -> (English, Swedish)
TEXT = {
    "week": ("Week", "Vecka"),
    "mean": ("mean", "medelvärde"),
    "band_ci95": ("95 % CI of the mean over replicates", "95 % KI för medelvärdet över replikat"),
    "band_q90": ("5–95 % range of replicates", "5–95 % av replikaten"),
    "band_sd": ("mean ± 1 SD of replicates", "medelvärde ± 1 SD av replikaten"),
    "band_none": ("no band", "inget band"),
    "shaded": ("shaded", "skuggat"),
    "bars_ci": ("bars: mean over replicates; whiskers: 95 % CI; dots: replicates",
                "staplar: medelvärde över replikat; streck: 95 % KI; punkter: replikat"),
    "last_weeks": ("weeks {a}–{b}", "vecka {a}–{b}"),
    "last_n": ("mean of the last {n} weeks", "medel över de sista {n} veckorna"),
    "replicates": ("replicates", "replikat"),
    "n_reps": ("{n} replicates per point", "{n} replikat per punkt"),
    "n_rep1": ("1 replicate per point", "1 replikat per punkt"),
    "compare_title": ("Trade-offs between steering regimes", "Avvägningar mellan styrmodeller"),
    "timeseries_title": ("Over time", "Över tid"),
    "sweep_title": ("Response to {x}", "Effekt av {x}"),
    "sweep_title2": ("Response to {x} and {y}", "Effekt av {x} och {y}"),
    "frontier_title": ("Trade-off frontier", "Avvägningsfront"),
    "pareto": ("Pareto front (not beaten on both)", "Paretofront (inte slagen på båda)"),
    "points": ("points", "punkter"),
    "sobol_title": ("Sobol' sensitivity indices", "Sobols känslighetsindex"),
    "morris_title": ("Morris elementary effects", "Morris elementära effekter"),
    "S1": ("first order $S_i$", "första ordningen $S_i$"),
    "ST": ("total order $S_{Ti}$", "total ordning $S_{Ti}$"),
    "index": ("index", "index"),
    "mu_star": ("μ* (mean |elementary effect|)", "μ* (medel av |elementär effekt|)"),
    "sigma": ("σ (spread of effects)", "σ (spridning av effekter)"),
    "ci_boot": ("{c} % bootstrap CI", "{c} % bootstrap-KI"),
    "quality_tm": ("Quality: true vs measured", "Kvalitet: verklig och mätt"),
    "true": ("true", "verklig"),
    "measured": ("measured", "mätt"),
    "staff_state": ("Staff: can, want, dare", "Medarbetare: kan, vill, vågar"),
    "cost_title": ("Cost per case", "Kostnad per ärende"),
    "incidents_year": ("Serious incidents per year", "Allvarliga händelser per år"),
    "doc_title": ("Time on documentation", "Tid för dokumentation"),
    "equal_title": ("Equal-treatment gap (voiced − weak-voice)",
                    "Likabehandling: skillnad starka − svaga röster"),
    "budget_title": ("Budget deviation", "Budgetavvikelse"),
    "colour": ("colour", "färg"),
    "report_title": ("tillit report", "tillit-rapport"),
    "provenance": ("Provenance", "Ursprung"),
    "runs": ("Runs", "Körningar"),
    "parameters": ("Parameters", "Parametrar"),
    "figures": ("Figures", "Figurer"),
    "scenario": ("Resolved scenario", "Fullständigt scenario"),
    "status_ok": ("finished", "klara"),
    "status_failed": ("failed (masked)", "misslyckade (maskerade)"),
    "status_not_run": ("not run (masked)", "ej körda (maskerade)"),
    "masked_note": ("Runs that failed or were not run are left out (NaN), never counted as zeros.",
                    "Körningar som misslyckades eller inte kördes utelämnas (NaN), räknas aldrig som noll."),
    "param": ("parameter", "parameter"),
    "value": ("value", "värde"),
    "unit": ("unit", "enhet"),
    "description": ("description", "beskrivning"),
    "group": ("group", "grupp"),
    "varied": ("varied", "varieras"),
    "sensitivity_table": ("Sensitivity indices", "Känslighetsindex"),
    "schedule_at": ("{p} (schedule {k}: week)", "{p} (schema {k}: vecka)"),
    "schedule_value": ("{p} (schedule {k}: new value)", "{p} (schema {k}: nytt värde)"),
    "schedule_ramp": ("{p} (schedule {k}: ramp, weeks)", "{p} (schema {k}: ramp, veckor)"),
    "metric": ("metric", "mått"),
}


def _pick(pair, lang):
    return pair[1] if lang == "sv" else pair[0]


def text(key, lang="en", **fmt):
    """A piece of figure text in the language, formatted with ``fmt``."""
    s = _pick(TEXT[key], lang)
    return s.format(**fmt) if fmt else s


def _long_name_label(attrs):
    """A short label from a long_name attribute: its first clause, at most 40 characters."""
    ln = str(attrs.get("long_name", "")).strip()
    if not ln:
        return ""
    for sep in (":", ";", " (", ", "):
        if sep in ln[:60]:
            ln = ln.split(sep)[0]
            break
    ln = ln.rstrip(".")
    return ln if len(ln) <= 40 else ln[:39] + "…"


def metric_label(name, lang="en", attrs=None):
    """The short label of a metric; unknown metrics fall back to their long_name."""
    if name in METRICS:
        return _pick(METRICS[name][:2], lang)
    ln = _long_name_label(attrs or {})
    return ln or name.replace("_", " ").capitalize()


def metric_unit(name, lang="en", attrs=None):
    """The unit of a metric as shown on an axis (never empty)."""
    if name in METRICS:
        return _pick(UNITS[METRICS[name][2]], lang)
    u = str((attrs or {}).get("units", "")).strip()
    if u in ("", "1"):
        return "–"
    return u


def metric_percent(name):
    """True when the metric is a share (0-1) that figures show in per cent."""
    return name in METRICS and METRICS[name][2] in PERCENT_UNITS


def metric_better(name):
    """+1 when higher is better, -1 when lower is better, 0 when neither (or unknown)."""
    return METRICS[name][3] if name in METRICS else 0


def axis_label(name, lang="en", attrs=None, unit=None):
    """``Label (unit)`` for an axis."""
    u = unit if unit is not None else metric_unit(name, lang, attrs)
    return f"{metric_label(name, lang, attrs)} ({u})"


def _schedule_label(name, lang, schedule_params):
    import re

    m = re.fullmatch(r"schedule_(\d+)_(at|value|ramp)", name)
    if not m:
        return None
    k = int(m.group(1))
    p = "Change" if lang != "sv" else "Ändring"
    if schedule_params and k < len(schedule_params):
        pname = schedule_params[k]
        p = _pick(PARAMETERS[pname], lang) if pname in PARAMETERS else pname
    return text("schedule_" + m.group(2), lang, k=k, p=p)


def param_label(name, lang="en", attrs=None, schedule_params=None, with_unit=True):
    """The label of a parameter or design variable, with its unit when it has one."""
    sched = _schedule_label(name, lang, schedule_params)
    if sched is not None:
        return sched
    attrs = attrs or {}
    table = str(attrs.get("parameter", name))
    if table in PARAMETERS:
        label = _pick(PARAMETERS[table], lang)
    else:
        label = table.replace("_", " ").capitalize()
    if with_unit:
        u = str(attrs.get("units", "1"))
        shown = _pick(PARAM_UNITS[u], lang) if u in PARAM_UNITS else u
        if shown:
            label = f"{label} ({shown})"
    return label


def point_label(label, lang="en"):
    """A point's label for a legend: preset names translated, others as they are."""
    label = str(label)
    if label in PRESETS:
        return _pick(PRESETS[label], lang)
    # crossed designs: "<point label>/p<row>"
    if "/" in label:
        head, tail = label.split("/", 1)
        if head in PRESETS:
            return _pick(PRESETS[head], lang) + "/" + tail
    return label
