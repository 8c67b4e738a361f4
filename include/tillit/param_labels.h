/* tillit/param_labels.h — labels of the parameter table, in English and Swedish.
 *
 * The companion of param_list.h (one row per parameter, same names): what a
 * reader sees on an axis, a slider or a table. The toolkit, the classroom
 * page and docs/parameters.md take their labels from here (through the
 * files' attributes, `tillit params --format json` and /api/params); there
 * is no second copy. sim/core/params.c fails to compile when a parameter has
 * no row here, a row names no parameter, or a parameter has two rows.
 *
 * P(name, label_en, label_sv, description_sv)
 *   The English description is the parameter table's own.
 */
#ifndef TILLIT_PARAM_LABELS_H
#define TILLIT_PARAM_LABELS_H

/* clang-format off */
#define TL_PARAM_LABELS(P) \
/* ---- run ---------------------------------------------------------------- */ \
P(steps, "Horizon", "Tidshorisont", "Antal simulerade veckor.") \
/* ---- organisation -------------------------------------------------------- */ \
P(units, "Units", "Enheter", "Antal enheter; var och en har en chef och en lika stor del av medarbetarna.") \
P(employees, "Employees", "Medarbetare", "Medarbetare i alla enheter tillsammans.") \
P(citizens, "Citizens", "Medborgare", "Medborgare/brukare; var och en hör till en hemenhet.") \
P(hours_per_week, "Contracted hours per week", "Avtalad arbetstid per vecka", "Avtalad arbetstid per medarbetare och vecka.") \
P(manager_hours, "Manager hours per week", "Chefens arbetstid per vecka", "Arbetstid per chef och vecka (rapportering, granskning, eskalerade ärenden, stöd).") \
P(overtime_max, "Maximum overtime", "Högsta övertid", "Andel av avtalad tid som en medarbetare får arbeta extra när ärenden väntar.") \
P(rationing, "Rationing under a long queue", "Ransonering vid lång kö", "Andel av ett ärendes direkta tid som medarbetarna skär ned när arbetet inte ryms i tiden: helt för ärenden på övertid, på ordinarie tid i proportion till ärendena som väntat sedan tidigare veckor (helt från en veckas förväntade ärenden); kvaliteten faller med halva andelen. 0 = av.") \
P(absence_rate, "Absence rate", "Frånvarorisk", "Sannolikhet per vecka att en medarbetare är borta hela veckan (sjukdom, ledighet); stiger med belastningen.") \
P(unit_heterogeneity, "Unit heterogeneity", "Skillnad mellan enheter", "Hur mycket enheterna skiljer sig åt i chefens kontrollintensitet och utgångstillit.") \
/* ---- citizens ------------------------------------------------------------ */ \
P(need_rate, "Need rate", "Behovsfrekvens", "Nya behov (ärenden) per medborgare och vecka.") \
P(complexity_mean, "Mean complexity of needs", "Behovens genomsnittliga komplexitet", "Genomsnittlig komplexitet hos ett behov i [0,1] (0 standard, 1 helt individuellt).") \
P(severity_mean, "Mean severity", "Genomsnittlig allvarlighet", "Genomsnittlig allvarlighet i det som står på spel i ett ärende; styr allvarligheten hos fel i ärendet.") \
P(weak_voice_share, "Share of weak-voice citizens", "Andel medborgare med svag röst", "Andel medborgare i grupp 1, som har svårare att uttrycka sina behov.") \
P(voice_gap, "Voice gap", "Röstgap", "Andel av den skräddarsydda passformen som går förlorad för en röstsvag medborgare vid full komplexitet; medborgarfokus halverar den som mest.") \
P(complex_threshold, "Complexity threshold", "Komplexitetsgräns", "Komplexitet över vilken ett behov är komplext: det kan behöva en annan enhet och utan mandat lyfts det till chefen eller görs efter boken.") \
P(multi_unit_share, "Share needing another unit", "Andel som behöver annan enhet", "Andel komplexa behov som också behöver en annan enhet (samverkan över gränser).") \
P(collab_hours, "Collaboration hours per case", "Samverkanstid per ärende", "Medarbetartimmar för samverkan i ett ärende som behöver en annan enhet, vid full helhetssyn.") \
P(silo_success, "Hand-off success without holistic view", "Lyckad överlämning utan helhetssyn", "Chansen att en överlämning till en annan enhet fungerar utan helhetssyn; stiger linjärt till 1 vid full helhetssyn.") \
P(adequate_quality, "Adequate quality", "Tillräcklig kvalitet", "Kvalitet på eller över vilken ett behov räknas som tillgodosett.") \
P(wait_tolerance, "Wait tolerance", "Tålamod med väntan", "Väntetid vid vilken medborgarens nöjdhet med ett ärende har fått hela sitt väntestraff.") \
P(queue_weeks, "Queue limit", "Kögräns", "Intagsregel: en enhets kö rymmer högst så här många veckors väntade ärenden; behov därutöver avvisas.") \
P(abandon_rate, "Abandon rate", "Återtagandefrekvens", "Chans per vecka att ett väntande behov dras tillbaka (löst på annat sätt, uppgivet, hänvisat): räknas som ej tillgodosett.") \
P(case_hours_cv, "Variation of case hours", "Variation i ärendetid", "Variationskoefficient för ett ärendes direkta tid.") \
/* ---- employees ----------------------------------------------------------- */ \
P(self_interested_share, "Share of self-interested staff", "Andel egennyttiga medarbetare", "Andel medarbetare vars insats följer risken för upptäckt, inte motivationen (övriga är ömsesidiga/inre motiverade).") \
P(motivation_baseline, "Baseline motivation", "Grundmotivation", "Genomsnittlig grundnivå för inre motivation (vill), utan undanträngning eller förstärkning.") \
P(motivation_spread, "Spread of motivation", "Spridning i motivation", "Spridning i grundmotivation mellan medarbetare.") \
P(skill_initial, "Initial skill", "Kompetens vid start", "Genomsnittlig kompetens (kan) hos personalen vid start.") \
P(aptitude_mean, "Mean aptitude", "Genomsnittlig fallenhet", "Medelvärde för en medarbetares fallenhet: den kompetens som övning och lärande närmar sig.") \
P(aptitude_sd, "Spread of aptitude", "Spridning i fallenhet", "Spridning i fallenhet mellan medarbetare.") \
P(skill_newcomer, "Newcomer skill", "Nyanställdas kompetens", "Genomsnittlig kompetens hos en nyrekryterad medarbetare.") \
P(case_hours, "Hours per case", "Timmar per ärende", "Direkt arbete med medborgaren i ett standardärende vid full insats.") \
P(complexity_hours, "Extra hours for complexity", "Extra tid för komplexitet", "Extra direkt tid för ett komplext ärende: case_hours*(1+complexity_hours*komplexitet).") \
P(doc_base_hours, "Base documentation per case", "Grunddokumentation per ärende", "Dokumentation per ärende som krävs oavsett styrning (lagstadgad dokumentation).") \
P(experience_rate, "Learning by experience", "Lärande genom erfarenhet", "Kompetens som vinns per vecka av direkt arbete med medborgare, som andel av avståndet till fallenheten.") \
P(skill_decay, "Skill decay", "Kompetensförlust", "Veckovis förlust av kompetens utan lärande (praktiken glider från ny kunskap).") \
P(learning_time_max, "Maximum learning time", "Högsta tid för lärande", "Andel av arbetstiden som går till lärande när kunskapsspaken är 1.") \
P(learning_rate, "Learning rate", "Inlärningstakt", "Kompetens som vinns per vecka av heltidslärande, som andel av återstående avstånd.") \
P(error_rate, "Base error rate", "Grundläggande felrisk", "Grundsannolikhet för fel i ett ärende; ökar med komplexitet, låg kompetens, låg insats och belastning.") \
P(learn_from_error, "Learning from an error", "Lärande av ett fel", "Kompetens som vinns av ett fel som används för lärande, som andel av återstående avstånd.") \
P(team_learning, "Team learning", "Lärande i arbetsgruppen", "Hur mycket av en kollegas lärdom som når varje medarbetare vid full öppenhet.") \
P(report_base, "Willingness to report errors", "Vilja att rapportera fel", "Vilja att rapportera ett eget fel vid noll öppenhet (multipliceras med psykologisk trygghet).") \
P(self_interested_report, "Reporting by self-interested staff", "Rapportering hos egennyttiga", "Egennyttiga typers rapportering i förhållande till övrigas.") \
P(effort_floor, "Effort floor", "Lägsta insats", "Insatsen hos en egennyttig medarbetare som inte räknar med att bli upptäckt.") \
P(effort_norm, "Effort norm", "Insatsnorm", "Den standard som kontroll som mest kan genomdriva.") \
P(compliance_cost, "Cost of compliance", "Kostnad för att följa normen", "Median för en egennyttig medarbetares kostnad för att följa normen; hen följer den när upplevd risk x konsekvens överstiger kostnaden.") \
P(compliance_spread, "Spread of compliance cost", "Spridning i kostnad för normföljande", "Log-normal spridning av kostnaden för att följa normen mellan egennyttiga medarbetare (0 = alla lika).") \
P(risk_learning, "Learning of perceived risk", "Inlärning av upplevd risk", "Takt med vilken den upplevda granskningsrisken följer det medarbetaren ser (egna och kollegors granskningar, åtgärdade problem).") \
P(risk_own_weight, "Weight of own audits", "Vikt för egna granskningar", "Vikten av egna granskningar (mot kollegornas) i den upplevda granskningsrisken.") \
P(risk_salience, "Salience of actions taken", "Synlighet av åtgärder", "Hur mycket en kollegas åtgärdade problem höjer den upplevda risken.") \
P(risk_prior, "Newcomers' perceived risk", "Nyanställdas upplevda risk", "Upplevd chans per ärende att smitning upptäcks, hos en nyanställd som ännu inte sett något.") \
P(sanction_deterrence, "Deterrence of sanctions", "Sanktioners avskräckning", "Vikten av sanktioner för mindre fel i den konsekvens en egennyttig medarbetare fruktar, vid sidan av fasthet.") \
P(gaming, "Gaming", "Målförskjutning", "Styrkan i förskjutningen av insats mot det som indikatorerna mäter.") \
P(detect_gaming, "Gaming seen through by dialogue", "Målförskjutning som dialog genomskådar", "Andel av målförskjutningen som dialogbaserad uppföljning genomskådar vid control_mode 1.") \
P(gaming_reciprocal, "Gaming by reciprocal types", "Målförskjutning hos ömsesidiga", "Ömsesidiga typers målförskjutning i förhållande till egennyttigas.") \
P(gaming_cost, "Quality lost to gaming", "Kvalitet som förloras genom målförskjutning", "Andel av verklig kvalitet som går förlorad vid full målförskjutning.") \
P(shirk_threshold, "Shirking threshold", "Gräns för smitning", "Insats under vilken en medarbetare räknas som att smita (kan upptäckas vid granskning).") \
P(crowding_out, "Crowding out", "Undanträngning", "Styrkan med vilken kontroll som upplevs som misstro sänker målnivån för motivation.") \
P(control_indifferent_share, "Share indifferent to control", "Andel oberörda av kontroll", "Andel av de ömsesidiga medarbetarna vars motivation inte påverkas av upplevd kontroll; övriga påverkas starkare, så att den genomsnittliga undanträngningen är oförändrad.") \
P(crowding_task, "Task dependence of crowding out", "Undanträngningens beroende av uppgiften", "Valfri (0, standard, är av): hur mycket undanträngningen beror på uppgiftens komplexitet.") \
P(crowding_in, "Crowding in", "Förstärkning av motivation", "Styrkan med vilken självständighet, stöd och tillit höjer målnivån för motivation.") \
P(motivation_rise, "Rise of motivation", "Motivationens ökningstakt", "Takt med vilken motivationen stiger mot en högre målnivå.") \
P(motivation_fall, "Fall of motivation", "Motivationens minskningstakt", "Takt med vilken motivationen sjunker mot en lägre målnivå.") \
P(safety_rate, "Rate of safety change", "Trygghetens förändringstakt", "Takt med vilken psykologisk trygghet (vågar) rör sig mot sin målnivå.") \
P(sanction_shock, "Safety lost when sanctioned", "Trygghet som förloras vid sanktion", "Minskning i en medarbetares trygghet när hen bestraffas för ett mindre fel.") \
P(witness_shock, "Safety lost by witnesses", "Trygghet som förloras hos kollegor", "Minskning i kollegornas trygghet per sanktion och medlem i enheten (kollegorna ser den).") \
P(trust_rise, "Rise of trust in manager", "Ökningstakt för tillit till chefen", "Takt med vilken medarbetarens tillit till chefen stiger mot en högre målnivå.") \
P(trust_fall, "Fall of trust in manager", "Minskningstakt för tillit till chefen", "Takt med vilken medarbetarens tillit till chefen sjunker mot en lägre målnivå.") \
P(strain_rate, "Rate of strain change", "Belastningens förändringstakt", "Takt med vilken belastningen rör sig mot den nivå som krav och resurser ger.") \
P(burnout_threshold, "Burnout threshold", "Gräns för utbrändhet", "Belastning på eller över vilken en medarbetare räknas som utbränd (lägre insats, fler fel, fler avgångar).") \
P(quit_base, "Base quit rate", "Grundläggande avgångsrisk", "Sannolikhet per vecka att sluta av skäl utanför modellen (också Marchs omsättning p3).") \
P(quit_strain, "Quitting from strain", "Avgångar av belastning", "Extra sannolikhet per vecka att sluta vid full belastning.") \
P(strikes_to_remove, "Strikes before removal", "Problem före avsked", "Åtgärdade allvarliga problem innan en medarbetare skiljs från tjänsten och ersätts.") \
P(burnout_recognised, "Burnout recognised", "Utbrändhet uppmärksammas", "Valfri (0, standard, är av): 1 = en granskning som möter en utbränd medarbetares låga insats ser utbrändheten och behandlar den inte som fusk (ingen prick mot avsked).") \
P(retrain_gain, "Skill from retraining", "Kompetens av vidareutbildning", "Kompetens som vinns av vidareutbildning efter ett åtgärdat allvarligt problem.") \
/* ---- managers ------------------------------------------------------------ */ \
P(manager_skill, "Manager skill", "Chefens kompetens", "Den kompetens en chef bidrar med i ett eskalerat ärende.") \
P(trust_evidence, "Weight of evidence", "Vikt för iakttagelser", "Vikten av en iakttagelse i chefens bedömning av om en medarbetare är pålitlig.") \
P(trust_forgetting, "Forgetting of evidence", "Glömska av iakttagelser", "Veckovis återgång av chefens bedömning mot grundtilliten (gamla iakttagelser bleknar).") \
P(complacency, "Complacency", "Självbelåtenhet", "Hur mycket chefens tillit sänker uppmärksamheten (färre granskningar vid hög tillit).") \
P(action_hours, "Hours per action", "Timmar per åtgärd", "Chefstimmar för att åtgärda ett känt allvarligt problem (rättelse, samtal, dokumentation).") \
P(cocreation_hours, "Hours for co-creation", "Tid för samskapande", "Chefstimmar per vecka för att samskapa styrningen med verksamheten vid co_creation 1.") \
P(openness_hours, "Hours for openness", "Tid för öppenhet", "Timmar per vecka vid öppenhet 1 som varje medarbetare lägger på att dela information och diskutera fel.") \
P(focus_hours, "Hours for citizen focus", "Tid för medborgarfokus", "Medarbetartimmar per ärende vid medborgarfokus 1 för att fråga och lyssna på medborgaren.") \
P(audit_hours_measurement, "Hours per audit by measurement", "Timmar per granskning genom mätning", "Chefstid för en granskning genom mätning (indikatorer, avvikelser).") \
P(audit_hours_dialogue, "Hours per audit by dialogue", "Timmar per granskning genom dialog", "Chefstid för en granskning genom dialog (kvalitativ, med medarbetaren).") \
P(audit_employee_hours, "Employee hours per audit", "Medarbetartimmar per granskning", "Medarbetartid som en dialoggranskning tar.") \
P(audit_correction, "Correction by review", "Rättelse vid granskning", "Valfri (0, standard, är av): andel av ett fels skada som rättas när en granskning hittar det innan beslutet får verkan.") \
P(rework_hours, "Rework per corrected case", "Omarbete per rättat ärende", "Medarbetartimmar för att rätta ett ärende där granskningen hittade ett fel (0, standard: inget).") \
P(detect_measurement, "Error detection by measurement", "Felupptäckt genom mätning", "Sannolikhet att en granskning genom mätning hittar ett fel i ärendet.") \
P(detect_dialogue, "Error detection by dialogue", "Felupptäckt genom dialog", "Sannolikhet att en granskning genom dialog hittar ett fel i ärendet.") \
P(detect_shirk_measurement, "Shirking detection by measurement", "Upptäckt av smitning genom mätning", "Sannolikhet att en granskning genom mätning upptäcker smitning.") \
P(detect_shirk_dialogue, "Shirking detection by dialogue", "Upptäckt av smitning genom dialog", "Sannolikhet att en granskning genom dialog upptäcker smitning.") \
P(opacity, "Opacity of complex cases to measurement", "Komplexa ärendens svårmätbarhet", "Valfri (0, standard, är av): hur mycket ett ärendes komplexitet döljer fel och smitning för granskning genom mätning.") \
P(escalation_share, "Share escalated", "Andel som lyfts till chefen", "Andel komplexa ärenden utan mandat som lyfts till chefen (resten görs efter boken).") \
P(escalation_hours, "Hours per escalation", "Timmar per eskalerat ärende", "Chefstid för att avgöra ett eskalerat ärende.") \
P(escalation_delay, "Escalation delay", "Fördröjning vid eskalering", "Extra väntan för ett eskalerat ärende (dubbelt när chefen saknar tid).") \
P(report_base_hours, "Base reporting hours", "Grundtid för rapportering", "Chefstimmar per vecka för rapportering uppåt, oavsett statsbidrag.") \
P(support_need_hours, "Support needed per employee", "Stödbehov per medarbetare", "Chefstimmar per medarbetare och vecka som ger fullt stöd från ledningen.") \
/* ---- errors -------------------------------------------------------------- */ \
P(serious_threshold, "Serious error threshold", "Gräns för allvarligt fel", "Allvarlighet på eller över vilken ett fel är allvarligt (åtgärdas genom fasthet, kan bli en allvarlig händelse).") \
P(discretion_error, "Error risk of discretion", "Felrisk vid handlingsutrymme", "Extra felrisk i ett skräddarsytt beslut, minskar med regelram och kompetens.") \
P(incident_rate, "Incident rate", "Risk för allvarlig händelse", "Sannolikhet per vecka att ett okorrigerat allvarligt fel leder till en allvarlig händelse (skada).") \
P(hazard_resolve, "Hazards resolving", "Risker som upphör", "Sannolikhet per vecka att ett okorrigerat allvarligt fel upphör utan skada.") \
/* ---- regime -------------------------------------------------------------- */ \
P(baseline_trust, "Baseline trust", "Grundtillit", "Chefernas förväntan från början att en medarbetare är pålitlig (medelvärdet i chefens förhandsbedömning); den tillit som visas.") \
P(mandate, "Mandate", "Mandat", "Andelen beslut i ett ärende som medarbetaren får fatta utan att fråga. Utan mandat lyfts komplexa ärenden till chefen eller görs efter boken.") \
P(control_intensity, "Control intensity", "Kontrollens omfattning", "Andelen ärenden som granskas i genomsnitt, och hur mycket rapportering som krävs per ärende.") \
P(control_selectivity, "Selective control", "Selektiv kontroll", "0 granskar alla lika; 1 riktar granskningarna mot medarbetare med låg tillit och ärenden där mycket står på spel (samma antal granskningar).") \
P(control_mode, "Follow-up (0 measurement, 1 dialogue)", "Uppföljning (0 mätning, 1 dialog)", "0 mätning på distans (indikatorer, avvikelser); 1 nära dialog (kvalitativ, ser mer men tar mer chefstid).") \
P(error_tolerance, "Tolerance of minor errors", "Överseende med små misstag", "Hur stor del av de mindre misstagen som används för lärande i stället för att bestraffas (0 = nolltolerans: varje känt misstag bestraffas).") \
P(firmness, "Firmness on serious problems", "Agera vid allvarliga problem", "Sannolikheten att ett känt allvarligt problem (allvarligt fel, fusk) åtgärdas: rättas, leder till vidareutbildning och till sist till att medarbetaren ersätts.") \
P(support, "Support", "Stöd", "Administrativt och professionellt stöd: tar över en del av dokumentationen och minskar belastningen, men kostar stödpersonal.") \
P(knowledge, "Knowledge and learning", "Kunskap och lärande", "Tid och struktur för lärande: hur mycket arbetstid som går till kollegialt lärande och hur snabbt den gemensamma praktiken lär sig.") \
P(openness, "Openness", "Öppenhet", "Information delas och avvikande meningar och felrapporter välkomnas: fler rapporterar sina fel, lärdomar sprids och tryggheten ökar, men de anställdas synsätt likriktas långsammare.") \
P(holistic_view, "Holistic view and collaboration", "Helhetssyn och samverkan", "Gemensamt ansvar och tid att samverka mellan enheter: färre misslyckade överlämningar, mer tid till samverkan.") \
P(citizen_focus, "Citizen focus", "Medborgarfokus", "Hur mycket arbetet bedöms efter medborgarnas återkoppling (1) i stället för efter indikatorer uppåt (0).") \
P(rule_frame, "Rule frame", "Regelram", "Miniminivåer som begränsar det fria skönet: anpassad kvalitet faller aldrig under denna andel av kvaliteten efter boken; kostar viss dokumentation.") \
P(co_creation, "Co-created steering", "Samskapad styrning", "Hur mycket styrningen formas i dialog med verksamheten (1) i stället för centralt (0); kontroll som upplevs som legitim tränger undan mindre motivation.") \
/* ---- chain --------------------------------------------------------------- */ \
P(targeted_grants, "Targeted state grants", "Riktade statsbidrag", "Andelen av finansieringen uppifrån som är riktad (öronmärkt, med återrapportering) i stället för generell. Trycket fortplantar sig nedåt som kontroll.") \
P(trust_from_above, "Trust from above", "Tillit uppifrån", "Tilliten från nivån ovanför (politiker, staten) till organisationen. Saknad tillit uppifrån blir kontroll och mindre mandat längre ned.") \
P(grant_control, "Pressure from grants", "Tryck från riktade bidrag", "Tryck uppifrån per enhet andel riktade statsbidrag.") \
P(above_control, "Pressure from missing trust", "Tryck från bristande tillit", "Tryck uppifrån per enhet saknad tillit uppifrån.") \
P(cascade, "Cascade", "Kaskad", "Hur mycket tryck uppifrån som blir kontroll, förlorat mandat och mätning längre ned.") \
P(cascade_selectivity, "Targeting of control from above", "Träffsäkerhet i kontroll uppifrån", "Hur mycket den kontroll som trycket uppifrån lägger till riktas som organisationens egen (control_selectivity; 1) eller läggs lika på alla medarbetare och ärenden (0).") \
P(grant_report_hours, "Grant reporting hours", "Tid för bidragsrapportering", "Chefstimmar per vecka för rapportering om riktade statsbidrag när all finansiering är riktad.") \
P(grant_doc_hours, "Grant documentation per case", "Bidragsdokumentation per ärende", "Medarbetarnas dokumentation per ärende för bidragsrapportering när all finansiering är riktad.") \
P(doc_control_hours, "Control documentation per case", "Kontrolldokumentation per ärende", "Medarbetarnas dokumentation per ärende vid full kontrollintensitet genom mätning (dialog halverar den).") \
P(rule_doc_hours, "Rule documentation per case", "Regeldokumentation per ärende", "Medarbetarnas dokumentation per ärende vid full regelram.") \
P(support_relief, "Documentation taken over by support", "Dokumentation som stödet tar över", "Andel av dokumentationen som stödpersonal tar över vid fullt stöd.") \
/* ---- knowledge ----------------------------------------------------------- */ \
P(knowledge_dims, "Dimensions of reality", "Verklighetens dimensioner", "Antal dimensioner m i verkligheten, organisationens kod och varje medarbetares uppfattningar.") \
P(socialisation_rate, "Socialisation rate (p1)", "Socialiseringstakt (p1)", "Marchs p1: chans per vecka och dimension att en medarbetare tar efter koden där de skiljer sig (före öppenhet).") \
P(fast_learner_share, "Share of fast learners", "Andel snabba lärande", "Andel medarbetare som lär snabbt och socialiseras med socialisation_rate_fast (0 = alla lika).") \
P(socialisation_rate_fast, "Fast learners' socialisation rate (p1)", "Snabba lärandes socialiseringstakt (p1)", "Marchs p1 för de snabbt lärande (före öppenhet); används bara när fast_learner_share > 0.") \
P(code_learning_rate, "Code learning rate (p2)", "Kodens inlärningstakt (p2)", "Marchs p2: takt med vilken koden lär av medarbetare som vet mer än den (före kunskapsspaken).") \
P(turbulence, "Turbulence (p4)", "Turbulens (p4)", "Marchs p4: chans per vecka att varje dimension av medborgarnas verkliga behov slår om.") \
P(openness_damping, "Openness slowing socialisation", "Öppenhetens bromsning av socialisering", "Hur mycket öppenhet bromsar socialiseringen.") \
P(knowledge_code_weight, "Knowledge lever on code learning", "Kunskapsspakens vikt för kodens lärande", "Hur mycket kunskapsspaken skalar kodens lärande.") \
P(knowledge_quality_weight, "Knowledge in tailoring", "Kunskapens vikt i anpassning", "Vikten av medarbetarens kunskap om verkliga behov i den kompetens som används för att skräddarsy.") \
/* ---- economy ------------------------------------------------------------- */ \
P(wage, "Wage cost per hour", "Lönekostnad per timme", "Arbetsgivarens kostnad per medarbetartimme (lön och arbetsgivaravgifter).") \
P(manager_wage, "Manager wage cost per hour", "Chefens lönekostnad per timme", "Arbetsgivarens kostnad per chefstimme.") \
P(overtime_premium, "Overtime premium", "Övertidstillägg", "Kostnad för en övertidstimme i förhållande till en vanlig timme.") \
P(support_cost, "Cost of support", "Kostnad för stöd", "Kostnad för stödpersonal vid fullt stöd, som andel av medarbetarnas avtalade lönesumma.") \
P(recruitment_cost, "Recruitment cost", "Rekryteringskostnad", "Kostnad för att rekrytera och introducera en ersättare.") \
P(incident_cost, "Incident cost", "Kostnad per allvarlig händelse", "Kostnad för en allvarlig händelse (åtgärder, utredning, skadestånd).") \
P(budget_margin, "Budget margin", "Budgetmarginal", "Budget per vecka = (avtalad lönesumma för de finansierade medarbetarna (funded_employees, eller alla) + chefernas löner) * (1 + budget_margin).") \
P(funded_employees, "Funded employees", "Finansierade medarbetare", "Antal medarbetare som budgeten betalar för (0: så många som finns): personal utöver det är en kostnad som budgeten inte täcker.") \
P(outcome_service_weight, "Weight of service value", "Vikt för tjänstevärde", "Vikten av service_value (vad medborgarna fick) i outcome_index (en värdering).") \
P(outcome_cost_weight, "Weight of overspending", "Vikt för budgetöverskridande", "Vikten av relativt budgetöverskridande i outcome_index (en värdering).") \
P(outcome_incident_weight, "Weight of incidents", "Vikt för allvarliga händelser", "Vikten av allvarliga händelser per 100 ärenden i outcome_index (en värdering).") \
P(outcome_equal_weight, "Weight of unequal treatment", "Vikt för ojämlik behandling", "Vikten av skillnaden i likabehandling |equal_gap| i outcome_index (en värdering).") \
P(outcome_staff_weight, "Weight of staff strain", "Vikt för personalens belastning", "Vikten av personalens belastning (strain_mean) i outcome_index (en värdering).")
/* clang-format on */

#endif
