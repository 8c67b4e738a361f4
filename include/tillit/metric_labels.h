/* tillit/metric_labels.h — labels of the metric table, in English and Swedish.
 *
 * The companion of metric_list.h (one row per metric, same names): what a
 * reader sees on an axis, in a menu or a legend. The toolkit, the classroom
 * page and docs/metrics.md take their labels from here (through the files'
 * attributes, `tillit metrics --format json` and /api/metrics); there is no
 * second copy. sim/core/metrics.c fails to compile when a metric has no row
 * here, a row names no metric, or a metric has two rows.
 *
 * L(name, shown, pct, better, label_en, label_sv, description_sv)
 *   shown     how figures show the unit: a key of the toolkit's unit texts
 *             (score, diff, sd, share_needs, share_staff, share_staff_week,
 *             share_hours, share_mgr, share_dims, cases_week, cases,
 *             errors_week, events_week, staff_week, audits_week, per_case,
 *             weeks, sek_week, sek_case, budget, ratio, index, knowledge,
 *             hazards)
 *   pct       1 when the value is a share (0-1) shown in per cent
 *   better    +1 when higher is better, -1 when lower is, 0 neither
 *   The English description is the metric table's own.
 */
#ifndef TILLIT_METRIC_LABELS_H
#define TILLIT_METRIC_LABELS_H

/* clang-format off */
#define TL_METRIC_LABELS(L) \
L(quality_true, score, 0, 1, "True quality", "Verklig kvalitet", \
  "Genomsnittlig verklig kvalitet i den service ett ärende fick (passform x insats x kunskap, minus fel och fusk med mått).") \
L(quality_measured, score, 0, 0, "Measured quality", "Mätt kvalitet", \
  "Genomsnittlig kvalitet så som indikatorerna visar den (verklig kvalitet plus fusk med måtten).") \
L(quality_gap, diff, 0, -1, "Measured minus true quality", "Mätt minus verklig kvalitet", \
  "quality_measured - quality_true: hur mycket indikatorerna överdriver (målförskjutning).") \
L(quality_complex, score, 0, 1, "True quality, complex cases", "Verklig kvalitet, komplexa ärenden", \
  "Genomsnittlig verklig kvalitet i komplexa ärenden (komplexitet över complex_threshold).") \
L(quality_sd, sd, 0, -1, "Spread of quality between cases", "Kvalitetsspridning mellan ärenden", \
  "Standardavvikelse för den verkliga kvaliteten mellan ärenden (spridning i utfall).") \
L(equal_gap, diff, 0, -1, "Equal-treatment gap", "Skillnad i likabehandling", \
  "Verklig kvalitet för röststarka medborgare (grupp 0) minus röstsvaga (grupp 1): ojämlik behandling.") \
L(needs_met, share_needs, 1, 1, "Needs met", "Tillgodosedda behov", \
  "Andel av de behov som hanterades under veckan (avslutade, avvisade eller återtagna) som möttes med minst adequate_quality.") \
L(cases_arrived, cases_week, 0, 0, "New cases", "Nya ärenden", \
  "Nya behov (ärenden) som uppstod under veckan.") \
L(cases_completed, cases_week, 0, 1, "Cases completed", "Avslutade ärenden", \
  "Ärenden som avslutades under veckan.") \
L(cases_turned_away, cases_week, 0, -1, "Cases turned away", "Avvisade ärenden", \
  "Behov som avvisades för att enhetens kö var full.") \
L(cases_abandoned, cases_week, 0, -1, "Needs withdrawn while waiting", "Behov som drogs tillbaka i kön", \
  "Väntande behov som drogs tillbaka under veckan (abandon_rate): ej tillgodosedda.") \
L(backlog, cases, 0, -1, "Backlog", "Ärendekö", \
  "Ärenden som väntar vid veckans slut.") \
L(wait_mean, weeks, 0, -1, "Waiting time", "Väntetid", \
  "Genomsnittlig väntetid för ärenden som avslutades under veckan (med fördröjning vid eskalering och överlämning).") \
L(rationed, share_hours, 1, -1, "Direct time rationed", "Ransonerad direkt tid", \
  "Genomsnittlig andel av ärendenas direkta tid som skars ned för att enhetens kö var lång (ransonering).") \
L(wait_queue, weeks, 0, -1, "Time in the queue", "Tid i kön", \
  "Genomsnittlig tid i kön för ärenden som avslutades under veckan (hela veckor, utan fördröjning vid eskalering och överlämning).") \
L(satisfaction, score, 0, 1, "Citizen satisfaction", "Medborgarnas nöjdhet", \
  "Medborgarnas genomsnittliga nöjdhet med servicen.") \
L(citizen_trust, score, 0, 1, "Citizens' trust", "Medborgarnas tillit", \
  "Medborgarnas genomsnittliga tillit till den offentliga servicen (faller snabbt efter allvarliga händelser).") \
L(skill_mean, score, 0, 1, "Skill ('can')", "Kompetens (kan)", \
  "Medarbetarnas genomsnittliga kompetens (kan).") \
L(skill_sd, sd, 0, 0, "Spread of skill", "Spridning i kompetens", \
  "Standardavvikelse för kompetensen.") \
L(motivation_mean, score, 0, 1, "Motivation ('want')", "Motivation (vill)", \
  "Genomsnittlig inre motivation (vill).") \
L(motivation_sd, sd, 0, 0, "Spread of motivation", "Spridning i motivation", \
  "Standardavvikelse för motivationen.") \
L(safety_mean, score, 0, 1, "Psychological safety ('dare')", "Psykologisk trygghet (vågar)", \
  "Genomsnittlig psykologisk trygghet (vågar).") \
L(safety_sd, sd, 0, 0, "Spread of safety", "Spridning i trygghet", \
  "Standardavvikelse för den psykologiska tryggheten.") \
L(strain_mean, score, 0, -1, "Strain", "Belastning", \
  "Genomsnittlig belastning.") \
L(strain_sd, sd, 0, 0, "Spread of strain", "Spridning i belastning", \
  "Standardavvikelse för belastningen.") \
L(burnout_share, share_staff, 1, -1, "Burnt-out staff", "Utbrända medarbetare", \
  "Andel medarbetare med belastning på eller över burnout_threshold.") \
L(turnover, share_staff_week, 1, -1, "Staff turnover", "Personalomsättning", \
  "Andel medarbetare som slutade (sa upp sig eller skildes från tjänsten) under veckan.") \
L(removals, staff_week, 0, 0, "Employees removed", "Avskedade medarbetare", \
  "Medarbetare som skildes från tjänsten under veckan för att de konsekvent misskött arbetet.") \
L(trust_in_manager, score, 0, 1, "Trust in manager", "Tillit till chefen", \
  "Medarbetarnas genomsnittliga tillit till sin chef.") \
L(effort_mean, score, 0, 1, "Effort", "Arbetsinsats", \
  "Genomsnittlig arbetsinsats hos dem som var anställda hela veckan, frånvarande inräknade (NaN när ingen finns).") \
L(effort_reciprocal, score, 0, 1, "Effort, reciprocal types", "Arbetsinsats, ömsesidiga", \
  "Genomsnittlig arbetsinsats hos ömsesidiga/inre motiverade typer (NaN när ingen finns).") \
L(effort_self_interested, score, 0, 1, "Effort, self-interested types", "Arbetsinsats, egennyttiga", \
  "Genomsnittlig arbetsinsats hos egennyttiga typer (NaN när ingen finns).") \
L(motivation_reciprocal, score, 0, 1, "Motivation, reciprocal types", "Motivation, ömsesidiga", \
  "Genomsnittlig motivation hos ömsesidiga/inre motiverade typer, deras frivilliga insats (NaN när ingen finns).") \
L(compliance_share, share_staff, 1, 1, "Self-interested staff who comply", "Egennyttiga som följer normen", \
  "Andel egennyttiga medarbetare som följer normen av rädsla för upptäckt (NaN när ingen finns).") \
L(perceived_risk, score, 0, 0, "Perceived risk of detection", "Upplevd upptäcktsrisk", \
  "Egennyttiga medarbetares genomsnittliga uppfattning om risken per ärende att smitning upptäcks (NaN när ingen finns).") \
L(stayers_share, share_staff, 1, 0, "Staff with two years or more", "Personal med minst två år", \
  "Andel medarbetare med minst två års anställningstid (kvarstannande).") \
L(self_interested_staff, share_staff, 1, 0, "Self-interested staff", "Egenintresserad personal", \
  "Andel medarbetare som är egenintresserade nu: rekryteringens andel (self_interested_share) efter urvalet genom uppsägningar och avskedanden.") \
L(skill_stayers, score, 0, 1, "Skill, stayers", "Kompetens, kvarstannande", \
  "Genomsnittlig kompetens hos kvarstannande (minst 104 veckor; NaN när ingen finns): utan personalomsättningens sammansättningseffekt.") \
L(motivation_stayers, score, 0, 1, "Motivation, stayers", "Motivation, kvarstannande", \
  "Genomsnittlig motivation hos kvarstannande (NaN när ingen finns).") \
L(effort_stayers, score, 0, 1, "Effort, stayers", "Arbetsinsats, kvarstannande", \
  "Genomsnittlig arbetsinsats hos kvarstannande (NaN när ingen finns).") \
L(strain_stayers, score, 0, -1, "Strain, stayers", "Belastning, kvarstannande", \
  "Genomsnittlig belastning hos kvarstannande (NaN när ingen finns).") \
L(absence_share, share_staff, 1, -1, "Staff absent", "Frånvarande medarbetare", \
  "Andel medarbetare som var frånvarande under veckan.") \
L(shirking_share, share_staff, 1, -1, "Shirking staff", "Medarbetare som smiter", \
  "Andel medarbetare vars arbetsinsats ligger under shirk_threshold.") \
L(time_citizen, share_hours, 1, 1, "Time with citizens", "Tid med medborgarna", \
  "Andel av medarbetarnas arbetade timmar i direkt arbete med medborgare.") \
L(time_documentation, share_hours, 1, -1, "Time on documentation", "Tid för dokumentation", \
  "Andel av medarbetarnas arbetade timmar för dokumentation och rapportering.") \
L(time_collaboration, share_hours, 1, 0, "Time on collaboration", "Tid för samverkan", \
  "Andel av medarbetarnas arbetade timmar för samverkan över enhetsgränser.") \
L(time_learning, share_hours, 1, 0, "Time on learning", "Tid för lärande", \
  "Andel av medarbetarnas arbetade timmar för lärande.") \
L(time_audit, share_hours, 1, 0, "Time in audits", "Tid i granskningar", \
  "Andel av medarbetarnas arbetade timmar i granskningssamtal.") \
L(time_meetings, share_hours, 1, 0, "Time in meetings", "Tid i möten", \
  "Andel av medarbetarnas arbetade timmar i möten för öppenhet och samskapad styrning.") \
L(utilisation, ratio, 1, 0, "Utilisation", "Resursutnyttjande", \
  "Arbetade timmar (allt arbete, övertid inräknad) i förhållande till avtalad tid; under 1 betyder ledig tid.") \
L(overtime_share, ratio, 1, -1, "Overtime", "Övertid", \
  "Övertidstimmar som andel av avtalad tid (över overtime_max bara när ett påbörjat ärende drar över).") \
L(manager_trust, score, 0, 1, "Managers' trust in staff", "Chefernas tillit till medarbetarna", \
  "Chefernas genomsnittliga tillit till sina medarbetare (deras log-odds-bedömningar som sannolikheter).") \
L(audits, audits_week, 0, 0, "Audits", "Granskningar", \
  "Granskningar som genomfördes under veckan.") \
L(audit_rate, per_case, 0, 0, "Audits per case", "Granskningar per ärende", \
  "Granskningar per avslutat ärende.") \
L(audits_forgone, audits_week, 0, -1, "Audits forgone", "Uteblivna granskningar", \
  "Granskningar som skulle ha gjorts men uteblev för att chefen saknade tid.") \
L(actions_forgone, events_week, 0, -1, "Actions forgone (no manager time)", "Uteblivna åtgärder (ingen chefstid)", \
  "Kända allvarliga problem (fel, smitning) som fasthet skulle åtgärda men som chefen inte hade tid för.") \
L(manager_time_control, share_mgr, 1, 0, "Manager time on audits", "Chefstid för granskning", \
  "Andel av chefernas timmar som gick till granskningar.") \
L(manager_time_reporting, share_mgr, 1, -1, "Manager time reporting upward", "Chefstid för rapportering uppåt", \
  "Andel av chefernas timmar som gick till rapportering uppåt.") \
L(manager_time_meetings, share_mgr, 1, 0, "Manager time in meetings", "Chefstid i möten", \
  "Andel av chefernas timmar i möten för samskapad styrning och öppenhet.") \
L(manager_time_action, share_mgr, 1, 0, "Manager time acting on problems", "Chefstid för åtgärder", \
  "Andel av chefernas timmar som gick till att åtgärda allvarliga problem.") \
L(manager_time_support, share_mgr, 1, 1, "Manager time for support", "Chefstid för stöd och ledarskap", \
  "Andel av chefernas timmar som blev kvar för stöd och ledarskap.") \
L(support_shortfall, share_staff, 1, -1, "Support managers had no time for", "Stöd som chefen saknade tid för", \
  "Andel av medarbetarnas behov av stöd från ledningen (support_need_hours var) som cheferna inte hade tid för.") \
L(control_effective, score, 0, 0, "Effective control intensity", "Effektiv kontrollintensitet", \
  "Kontrollintensitet efter kaskaden uppifrån.") \
L(mandate_effective, score, 0, 0, "Effective mandate", "Effektivt mandat", \
  "Mandat efter kaskaden uppifrån.") \
L(chain_pressure, score, 0, -1, "Pressure from above", "Tryck uppifrån", \
  "Tryck från styrkedjan ovanför (riktade statsbidrag, brist på tillit uppifrån).") \
L(escalations, cases_week, 0, 0, "Escalated cases", "Eskalerade ärenden", \
  "Komplexa ärenden som lyftes till chefen under veckan.") \
L(errors_minor, errors_week, 0, -1, "Minor errors", "Mindre fel", \
  "Mindre fel som begicks under veckan.") \
L(errors_serious, errors_week, 0, -1, "Serious errors", "Allvarliga fel", \
  "Allvarliga fel som begicks under veckan.") \
L(errors_reported, errors_week, 0, 0, "Errors reported", "Rapporterade fel", \
  "Fel som rapporterades av den medarbetare som begick dem.") \
L(errors_detected, errors_week, 0, 0, "Errors found by audits", "Fel upptäckta vid granskning", \
  "Fel som hittades vid granskning (och inte rapporterades).") \
L(errors_hidden, errors_week, 0, -1, "Hidden errors", "Dolda fel", \
  "Fel som varken rapporterades eller upptäcktes.") \
L(serious_hidden, errors_week, 0, -1, "Hidden serious errors", "Dolda allvarliga fel", \
  "Allvarliga fel som varken rapporterades eller upptäcktes.") \
L(serious_error_rate, per_case, 0, -1, "Serious errors per case", "Allvarliga fel per ärende", \
  "Allvarliga fel per avslutat ärende.") \
L(shirking_detected, events_week, 0, 0, "Shirking found", "Upptäckt smitning", \
  "Fall av smitning som upptäcktes vid granskning.") \
L(sanctions, events_week, 0, 0, "Sanctions for minor errors", "Sanktioner för mindre fel", \
  "Kända mindre fel som bestraffades (feltoleransen under deras allvarlighet).") \
L(learning_events, events_week, 0, 1, "Errors used for learning", "Fel som används för lärande", \
  "Kända fel som användes för lärande (lärande samtal och åtgärdade allvarliga fel).") \
L(serious_acted, events_week, 0, 0, "Serious problems acted on", "Åtgärdade allvarliga problem", \
  "Kända allvarliga problem som åtgärdades (fasthet).") \
L(hazards, hazards, 0, -1, "Latent hazards", "Latenta risker", \
  "Okorrigerade allvarliga fel som fortfarande kan leda till allvarliga händelser.") \
L(incidents, events_week, 0, -1, "Serious incidents", "Allvarliga händelser", \
  "Allvarliga händelser (okorrigerade allvarliga fel som orsakade skada) under veckan.") \
L(code_knowledge, knowledge, 0, 1, "Organisational knowledge", "Organisationens kunskap", \
  "Kunskapsmåttet för organisationens kod enligt March (1991): (rätt - fel)/m dimensioner av medborgarnas verkliga behov, i [-1,1] (0 = slump).") \
L(code_knowledge_share, share_dims, 1, 1, "Code knowledge", "Kodens kunskap", \
  "Andel av de m dimensionerna av medborgarnas verkliga behov som organisationens kod har rätt i.") \
L(staff_knowledge, share_dims, 1, 1, "Staff knowledge", "Medarbetarnas kunskap", \
  "Genomsnittlig andel dimensioner som medarbetarna har rätt i.") \
L(knowledge_fast, share_dims, 1, 1, "Fast learners' knowledge", "Snabba lärandes kunskap", \
  "Genomsnittlig andel dimensioner som de snabbt lärande (fast_learner_share) har rätt i (NaN när ingen finns).") \
L(knowledge_slow, share_dims, 1, 1, "Slow learners' knowledge", "Långsamma lärandes kunskap", \
  "Genomsnittlig andel dimensioner som övriga medarbetare, de långsamt lärande, har rätt i (NaN när ingen finns).") \
L(collaborations, cases_week, 0, 0, "Cases across units", "Ärenden över enhetsgränser", \
  "Ärenden som behövde en annan enhet.") \
L(handoff_failures, cases_week, 0, -1, "Failed hand-offs", "Misslyckade överlämningar", \
  "Ärenden som behövde en annan enhet där överlämningen misslyckades.") \
L(cost, sek_week, 0, -1, "Cost", "Kostnad", \
  "Veckans totala kostnad: löner och övertid, chefer, stödpersonal, rekrytering, allvarliga händelser.") \
L(cost_per_case, sek_case, 0, -1, "Cost per case", "Kostnad per ärende", \
  "Veckans kostnad per avslutat ärende.") \
L(control_cost, sek_week, 0, -1, "Cost of control", "Kontrollkostnad", \
  "Den del av lönekostnaden som går till kontroll: dokumentation utöver grunden, granskningar, rapportering uppåt.") \
L(budget_deviation, budget, 1, -1, "Budget deviation", "Budgetavvikelse", \
  "(kostnad - budget)/budget för veckan; positivt betyder överskridande.") \
L(service_value, score, 0, 1, "Service value", "Tjänstevärde", \
  "Medelvärde över avslutade, avvisade och återtagna behov av kvalitet x väntediskontering (avvisade och återtagna = 0): vad medborgarna fick.") \
L(outcome_index, index, 0, 1, "Outcome index", "Utfallsindex", \
  "Sammanvägt index av tjänstevärde, budgetöverskridande, allvarliga händelser, ojämlikhet och belastning; vikterna är värderingar: jämför också dimensionerna.")
/* clang-format on */

/* The criteria: the separate outcomes every comparison shows side by side,
 * because no single number decides which regime is "best" — what citizens
 * got, serious incidents, equal treatment, the staff's strain and the budget
 * (outcome_index weighs them with value judgements; it is not one of them).
 * In this order on the classroom's dashboards (/api/metrics' "criterion")
 * and in the toolkit (tillit_analysis.CRITERIA). */
#define TL_CRITERIA(C) C(service_value) C(incidents) C(equal_gap) C(strain_mean) C(budget_deviation)

#endif
