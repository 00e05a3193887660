"""Synthetic RIS records with known duplicates, for ``benchmarks/dedup_speed.py``.

The records are meant to be *hard*, because an easy set flatters any matcher. Titles are 8-20 words built
from a medical and social-care vocabulary of a few thousand words drawn with a Zipf skew, so many records
share their common words; family names are drawn the same way, so Wang, Li, Smith and Kim each sign
thousands of records; ~500 journals have full and ISO 4 abbreviated names. Duplicates (15 % of the records
are removable: groups of 2-4 copies, all but one) differ the way exports of one article from different
databases do: case, punctuation, HTML entities, stripped diacritics, bracketed translated titles, abbreviated
journals, MEDLINE page ranges, initials styles, truncated author lists, ahead-of-print years, missing,
upper-case or URL-form DOIs, missing or cut abstracts, a one-letter typo. Near misses that must *not* be
merged are distinct publications in the truth: a review updated under the same title, an erratum, a comment,
the conference abstract of an article, "Part 1"/"Part 2" pairs.

Deterministic for a seed, pure Python, no network. Written with Synthesist's own RIS writer, so each
record's ``source_record_id`` (``gen-0000001``...) is its ``ID`` line and comes back on import; the truth
(``<file>.truth.csv``: ``source_record_id,group``, the group empty for a record with no duplicate) maps
the deduplicated project back.

    python benchmarks/dedup_data.py --records 10000 --seed 1 records.ris   # + records.ris.truth.csv

The word lists make this module longer than most: they are data, kept beside the code that draws from them.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import unicodedata
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import accumulate
from pathlib import Path

from synthesist.exporting.base import ExportItem, get_writer
from synthesist.records.model import Author, Record

__all__ = [
    "DUPLICATE_SHARE",
    "NEAR_MISS_SHARE",
    "GeneratedSet",
    "generate",
    "read_truth",
    "truth_path",
    "vocabulary",
]

DUPLICATE_SHARE = 0.15
NEAR_MISS_SHARE = 0.08  # of the distinct publications: each is a near miss of another one
JOURNAL_COUNT = 500
_JOURNAL_SEED = 20240601  # the same journals in every generated set, whatever its seed


def _phrases(text: str) -> list[str]:
    """A comma-separated word list, most frequent first (the order is the Zipf rank)."""
    return list(dict.fromkeys(p.strip() for p in text.replace("\n", " ").split(",") if p.strip()))


def _table(text: str, separator: str) -> dict[str, str]:
    """``key/value`` pairs separated by white space."""
    return dict(pair.split(separator, 1) for pair in text.split())


# fmt: off
OPENINGS = _phrases("""
The effect of, Effects of, The impact of, Impact of, Effectiveness of, The effectiveness of, Efficacy of,
Cost-effectiveness of, Association between, Associations of, Factors associated with, Predictors of,
Determinants of, Prevalence of, Incidence of, Trends in, Patterns of, Experiences of, Perceptions of,
Attitudes towards, Barriers and facilitators to, Evaluation of, Assessment of, Development and validation of,
Validation of, Reliability and validity of, Implementation of, Exploring, Understanding, Examining, Measuring,
Improving, Reducing, Promoting, Managing, Comparison of, A comparison of, The role of, Role of, Use of, The
use of, Outcomes of, Long-term outcomes of, Feasibility of, Acceptability of, Quality of, Variation in,
Inequalities in, Disparities in, Adherence to, Access to, Uptake of, Changes in, Risk of, Risk factors for,
Mortality after, Costs of, Challenges of, Lessons from, Towards, Rethinking, Living with, Caring for,
Supporting, Screening for, Predicting, Identifying
""")
ADJECTIVES = _phrases("""
chronic, acute, primary, secondary, community-based, person-centred, patient-centred, evidence-based,
integrated, multidisciplinary, interprofessional, collaborative, digital, mobile, online, web-based,
telephone, nurse-led, pharmacist-led, peer-led, home-based, hospital-based, residential, rural, urban, remote,
low-income, socioeconomic, social, psychological, psychosocial, physical, mental, emotional, cognitive,
behavioural, functional, clinical, preventive, palliative, structured, individualised, tailored, brief,
intensive, early, late, long-term, short-term, self-reported, perceived, unmet, informal, formal,
professional, family, unpaid, older, young, adolescent, paediatric, neonatal, maternal, perinatal, postnatal,
antenatal, postoperative, preoperative, perioperative, surgical, medical, pharmacological,
non-pharmacological, dietary, nutritional, educational, motivational, mindfulness-based, exercise-based,
school-based, workplace, community, national, regional, local, global, cross-sectional, longitudinal,
prospective, retrospective, randomised, pragmatic, multicentre, qualitative, quantitative, observational,
population-based, nationwide, comparative, participatory, co-designed, shared, routine, usual, enhanced,
modified, adapted, novel, traditional, complementary, integrative, holistic, spiritual, religious, cultural,
ethnic, migrant, indigenous, vulnerable, frail, homeless, bereaved, terminal, advanced, severe, moderate,
mild, recurrent, persistent, refractory, comorbid, multimorbid, combined, adjunctive, supportive, adverse,
serious, avoidable, unplanned, emergency, elective, outpatient, inpatient, ambulatory, critical, diabetic,
cardiac, cardiovascular, respiratory, pulmonary, renal, hepatic, neurological, psychiatric, musculoskeletal,
orthopaedic, oncological, haematological, gastrointestinal, urological, gynaecological, obstetric,
dermatological, dental, oral, sexual, reproductive, genetic, metabolic, inflammatory, infectious, viral,
bacterial, antimicrobial, preventable, modifiable, environmental, occupational, financial, economic,
organisational, ethical, legal, regulatory, diagnostic, prognostic, predictive, therapeutic, restorative,
assistive, technological, automated, validated, standardised, treatment-naïve, Chinese, German, Japanese,
Korean, Brazilian, African, Nordic, European, Australian, Canadian, Scandinavian, Dutch, Spanish, Italian,
French, Indian, Iranian, Turkish, Nigerian, Ethiopian, Kenyan, Danish, Swedish, Norwegian, Finnish, Polish,
Greek, Portuguese, Mexican, Chilean, Thai, Vietnamese, Malaysian, Ghanaian
""")
NOUNS = _phrases("""
care, health, patients, nursing, treatment, support, management, self-management, rehabilitation, quality of
life, pain, depression, anxiety, dementia, stroke, cancer, diabetes, obesity, outcomes, experiences,
intervention, interventions, services, therapy, exercise, education, risk, mortality, prevention, screening,
assessment, stress, wellbeing, well-being, hypertension, asthma, COPD, schizophrenia, bipolar disorder,
psychosis, arthritis, osteoarthritis, osteoporosis, epilepsy, HIV, tuberculosis, malaria, hepatitis C, sepsis,
pneumonia, influenza, COVID-19, heart failure, frailty, falls, delirium, urinary incontinence, pressure
ulcers, wound healing, low back pain, neck pain, migraine, headache, fibromyalgia, fatigue, insomnia, sleep,
PTSD, ADHD, autism, addiction, alcohol use, smoking, tobacco use, cannabis, opioid use, substance use,
self-harm, suicide, loneliness, social isolation, bereavement, grief, trauma, domestic violence, child abuse,
neglect, homelessness, poverty, unemployment, disability, multimorbidity, polypharmacy, malnutrition,
sarcopenia, anaemia, eczema, psoriasis, glaucoma, cataract, hearing loss, tinnitus, aphasia, dysphagia,
Parkinson's disease, multiple sclerosis, Sjögren's syndrome, Ménière's disease, Guillain-Barré syndrome,
Crohn's disease, ulcerative colitis, cirrhosis, chronic kidney disease, haemodialysis, transplantation,
amputation, hip fracture, burns, injury, concussion, spinal cord injury, cerebral palsy, Down syndrome,
infertility, pregnancy, pre-eclampsia, preterm birth, stillbirth, miscarriage, breastfeeding, menopause,
endometriosis, contraception, caesarean section, postpartum depression, childhood obesity, bullying, eating
disorders, anorexia nervosa, myocardial infarction, atrial fibrillation, coronary heart disease, venous
thromboembolism, lung cancer, breast cancer, prostate cancer, colorectal cancer, leukaemia, lymphoma,
melanoma, type 2 diabetes, type 1 diabetes, gestational diabetes, metabolic syndrome, hypoglycaemia, oedema,
haemorrhage, anaesthesia, intensive care, critical illness, delirium tremens, long COVID, antimicrobial
resistance, infection control, hand hygiene, vaccination, immunisation, medication, prescribing,
deprescribing, adherence, medication errors, monitoring, telehealth, telemedicine, telemonitoring, mHealth,
eHealth, smartphone apps, text messaging, video consultations, home visits, case management, care
coordination, discharge planning, transitional care, advance care planning, end-of-life care, hospice care,
respite care, day care, home care, long-term care, social care, social work, safeguarding, reablement,
housing, peer support, befriending, social prescribing, group therapy, family therapy, music therapy, art
therapy, dance, yoga, tai chi, walking, strength training, resistance training, aerobic exercise, physical
activity, sedentary behaviour, diet, nutrition, supplementation, vitamin D, iron deficiency, folic acid,
antibiotics, antidepressants, antipsychotics, benzodiazepines, statins, insulin, metformin, aspirin,
anticoagulation, chemotherapy, radiotherapy, immunotherapy, surgery, analgesia, acupuncture, massage, manual
therapy, physiotherapy, occupational therapy, psychotherapy, counselling, mindfulness, meditation, cognitive
behavioural therapy, motivational interviewing, harm reduction, naloxone, methadone, buprenorphine, smoking
cessation, weight loss, bariatric surgery, parenting programmes, home visiting, early intervention, school
meals, cash transfers, health insurance, user fees, pay for performance, audit and feedback, clinical
guidelines, care pathways, checklists, handover, shift work, staffing, nurse staffing, workload, burnout,
compassion fatigue, moral distress, job satisfaction, retention, turnover, recruitment, leadership, teamwork,
clinical supervision, mentoring, simulation, e-learning, curriculum, competence, clinical skills, knowledge,
attitudes, beliefs, survival, readmission, length of stay, health-related quality of life, satisfaction,
functional status, physical function, mobility, independence, activities of daily living, cognition, memory,
mood, psychological distress, resilience, coping, self-efficacy, empowerment, autonomy, dignity, stigma,
discrimination, trust, communication, shared decision-making, information needs, health literacy,
participation, engagement, return to work, sickness absence, costs, resource use, utilisation, waiting times,
access, equity, health inequalities, complications, adverse events, infections, patient safety,
hospitalisation, hospital admissions, emergency department visits, blood pressure, glycaemic control, HbA1c,
body mass index, body weight, cholesterol, lung function, pain intensity, pain interference, sleep quality,
symptoms, symptom burden, caregiver burden, carer strain, perspectives, views, needs, preferences, priorities,
expectations, values, meanings, narratives, identity, relationships, partnership, collaboration, integration,
continuity of care, coordination, fragmentation, health policy, reform, governance, regulation,
accountability, commissioning, funding, financing, workforce, capacity, infrastructure, technology,
innovation, implementation, sustainability, scale-up, fidelity, adaptation, context, organisational culture,
language barriers, ethnicity, gender, sex differences, age, ageing, socioeconomic status, deprivation,
educational attainment, income, employment, migration, racism, rurality, neighbourhood, air pollution, heat
exposure, climate change, green space, transport, food insecurity, behaviour change, health behaviours, health
promotion, health education, oral health, mental health, mental illness, severe mental illness, learning
disabilities, intellectual disability, behaviour, childhood adversity, adverse childhood experiences,
attachment, parenting, child development, school readiness, academic performance, social support, social
networks, social capital, community engagement, volunteering, caregiving, informal care, family involvement,
visiting, privacy, consent, confidentiality, ethics, end of life, dying, palliative sedation, assisted dying,
euthanasia, spirituality, hope, meaning in life, quality improvement, patient experience, person-centred care,
patient-centred care, compassion, empathy, therapeutic relationship, nurse-patient communication,
interprofessional collaboration, task shifting, skill mix, advanced practice, nurse practitioners, prescribing
rights, scope of practice, professional identity, professionalism, incivility, bullying at work, violence
against staff, occupational stress, wellbeing at work, work-life balance, missed care, rationed care, care
left undone, nurse-sensitive outcomes, failure to rescue, early warning scores, rapid response teams, sepsis
bundles, pressure injury prevention, falls prevention, restraint, seclusion, coercion, involuntary admission,
crisis care, crisis resolution, home treatment, assertive community treatment, supported employment, recovery,
peer workers, clozapine, lithium, electroconvulsive therapy, transcranial magnetic stimulation, ketamine,
esketamine, psilocybin, placebo, nocebo, expectations of treatment, pain catastrophising, fear-avoidance,
kinesiophobia, central sensitisation, neuropathic pain, postoperative pain, cancer pain, breakthrough pain,
opioid prescribing, opioid tapering, gabapentinoids, NSAIDs, paracetamol, topical analgesics, nerve blocks,
spinal manipulation, pain education, graded activity, graded exposure, pacing, acceptance and commitment
therapy, cognitive functional therapy, work disability, compensation, litigation, disability benefits, welfare
reform, austerity, universal credit, food banks, fuel poverty, child poverty, pensions, retirement, caregiving
costs, out-of-pocket payments, catastrophic expenditure, universal health coverage, primary health care,
community health workers, traditional healers, maternal mortality, neonatal mortality, under-five mortality,
stunting, wasting, anaemia in pregnancy, antenatal care, skilled birth attendance, facility delivery, kangaroo
mother care, exclusive breastfeeding, complementary feeding, water and sanitation, handwashing, oral
rehydration, diarrhoea, measles, polio, HPV vaccination, cervical screening, mammography, colonoscopy, PSA
testing, overdiagnosis, overtreatment, low-value care, choosing wisely, clinical decision support, electronic
health records, artificial intelligence, machine learning, natural language processing, wearables, remote
monitoring, virtual wards, hospital at home, delayed discharge, bed occupancy, ambulance response times,
frequent attenders, out-of-hours care, walk-in centres, urgent care, triage, waiting lists, elective surgery,
day surgery, enhanced recovery, prehabilitation, perioperative medicine, surgical site infection,
catheter-associated infection, ventilator-associated pneumonia, central line infection, Clostridioides
difficile, MRSA, hand hygiene compliance, personal protective equipment, isolation precautions, outbreak
management, contact tracing, lockdown, school closures, vaccine hesitancy, misinformation, social media,
health communication, risk communication, public trust, health systems, resilience of health systems, pandemic
preparedness, disaster response, humanitarian aid, conflict, displacement, refugee health, asylum, detention,
human trafficking, modern slavery, female genital mutilation, child marriage, gender-based violence, intimate
partner violence, sexual violence, elder abuse, financial abuse, self-neglect, hoarding, capacity assessment,
best interests, guardianship, advance directives, lasting power of attorney, do-not-resuscitate orders,
cardiopulmonary resuscitation, out-of-hospital cardiac arrest, bystander CPR, defibrillation, cardiac
rehabilitation, pulmonary rehabilitation, vestibular rehabilitation, stroke rehabilitation,
neurorehabilitation, constraint-induced movement therapy, mirror therapy, virtual reality, robotics,
exoskeletons, assistive technology, home adaptations, wheelchairs, prosthetics, orthotics, hearing aids,
cochlear implants, low vision, sign language, deafness, blindness, speech and language therapy, augmentative
communication, stuttering, voice disorders, tracheostomy, mechanical ventilation, weaning, sedation,
post-intensive care syndrome, ICU diaries, family presence, family meetings, prognostic uncertainty, goals of
care, serious illness conversations, breaking bad news, collusion, truth-telling, cultural competence,
interpreters, language concordance, health beliefs, illness perceptions, stigma reduction, anti-stigma
campaigns, mental health literacy, help-seeking, self-help, guided self-help, bibliotherapy,
internet-delivered therapy, chatbots, digital exclusion, digital literacy, ageism, intergenerational
programmes, age-friendly cities, dementia-friendly communities, wandering, agitation, behavioural and
psychological symptoms, sundowning, apathy, caregiver education, caregiver training, respite, nursing home
placement, relocation, transitions, admission to care homes, care home closures, visiting restrictions,
personhood, reminiscence, life story work, doll therapy, animal-assisted therapy, horticultural therapy,
nature, outdoor activity, sport, obesity prevention, sugar taxes, food labelling, marketing, alcohol pricing,
minimum unit pricing, licensing, gambling, gaming disorder, screen time, cyberbullying, sexting, body image,
self-esteem, sexuality, sexual health, contraceptive use, unintended pregnancy, teenage pregnancy, abortion
care, fertility treatment, IVF, surrogacy, adoption, foster care, kinship care, looked-after children, care
leavers, youth justice, school exclusion, special educational needs, inclusive education, transition to
adulthood, emerging adulthood, student mental health, academic stress, exam anxiety, sleep deprivation,
chronotype, night shifts, circadian rhythm, melatonin, obstructive sleep apnoea, CPAP, restless legs,
narcolepsy, nightmares, fluoride varnish, dental caries, periodontitis, tooth loss, dentures, oral hygiene,
swallowing, aspiration pneumonia, texture-modified diets, thickened fluids, hydration, dehydration,
constipation, faecal incontinence, catheter care, continence promotion, pelvic floor muscle training,
prolapse, urinary tract infection, asymptomatic bacteriuria, antibiotic stewardship, sepsis screening,
lactate, blood cultures, fluid resuscitation
""")
POPULATIONS = _phrases("""
patients, adults, older adults, older people, children, adolescents, young people, infants, neonates, women,
men, mothers, fathers, parents, families, carers, caregivers, family caregivers, informal carers, nurses,
registered nurses, student nurses, nursing students, midwives, physicians, general practitioners, doctors,
junior doctors, surgeons, pharmacists, physiotherapists, occupational therapists, social workers, care
workers, care home staff, health visitors, community health workers, health professionals, healthcare workers,
students, medical students, veterans, prisoners, refugees, migrants, asylum seekers, people with dementia,
people with intellectual disabilities, people experiencing homelessness, stroke survivors, cancer survivors,
breast cancer survivors, nursing home residents, care home residents, hospital inpatients, outpatients,
primary care patients, ICU patients, surgical patients, people who inject drugs, sex workers, men who have sex
with men, transgender people, ethnic minorities, Indigenous peoples, rural residents, low-income families,
pregnant women, postpartum women, preterm infants, school children, university students, older women, frail
older adults, community-dwelling older adults, people living with HIV, adults with type 2 diabetes, patients
with heart failure, patients with COPD, people with chronic low back pain, people with multiple sclerosis,
people with Parkinson's disease, people with severe mental illness, people with learning disabilities, young
carers, bereaved parents, bereaved families, widows, adult children, spouses, siblings, grandparents, foster
carers, teachers, police officers, paramedics, emergency nurses, mental health nurses, district nurses,
practice nurses, nurse managers, ward managers, healthcare assistants, domiciliary care workers, home care
workers, personal assistants, volunteers, chaplains, dietitians, speech and language therapists,
psychologists, psychiatrists, paediatricians, anaesthetists, intensivists, oncologists, radiographers,
dentists, optometrists, commissioners, policymakers, service users, survivors, people with long COVID, people
with disabilities, wheelchair users, deaf people, blind people, autistic adults, children with autism,
children with cerebral palsy, children with asthma, adolescents with depression, young offenders, looked-after
children, care leavers, military personnel, farmers, factory workers, office workers, shift workers, truck
drivers, fishermen, miners, construction workers, sex and gender minorities
""")
SETTINGS = _phrases("""
primary care, general practice, secondary care, acute hospitals, emergency departments, intensive care units,
nursing homes, care homes, residential aged care, home care, the community, community settings, rural areas,
remote communities, low- and middle-income countries, sub-Saharan Africa, mental health services, prisons,
schools, workplaces, universities, hospices, outpatient clinics, memory clinics, maternity units, neonatal
units, paediatric wards, surgical wards, medical wards, stroke units, dialysis units, community pharmacies,
dental practices, social services, child protection services, the NHS, Medicare, the Veterans Health
Administration, urban slums, refugee camps, humanitarian settings, district hospitals, teaching hospitals,
university hospitals, tertiary care centres, long-term care facilities, assisted living, supported housing,
homeless shelters, day centres, respite services, forensic services, secure hospitals, inpatient psychiatric
units, crisis services, addiction services, sexual health clinics, fertility clinics, rehabilitation centres,
the Nordic countries, Southeast Asia, Latin America, the Middle East, Eastern Europe, Europe, North America
""")
COUNTRIES = _phrases("""
China, the United Kingdom, England, Scotland, Wales, Northern Ireland, Ireland, the United States, Canada,
Australia, New Zealand, Germany, France, Spain, Italy, the Netherlands, Belgium, Sweden, Norway, Denmark,
Finland, Iceland, Switzerland, Austria, Poland, Portugal, Greece, Türkiye, Iran, Israel, Saudi Arabia, Egypt,
Nigeria, Ghana, Kenya, Uganda, Tanzania, Ethiopia, Malawi, South Africa, India, Pakistan, Bangladesh, Nepal,
Sri Lanka, Thailand, Vietnam, Indonesia, Malaysia, Singapore, the Philippines, Japan, South Korea, Taiwan,
Hong Kong, Brazil, Mexico, Chile, Colombia, Peru, Argentina, Québec, São Paulo, Zürich, Bogotá, Malmö,
Göteborg, Côte d'Ivoire, Ontario, rural China, rural India, Shanghai, Beijing, Seoul, Tokyo, London, Glasgow,
Dublin, Copenhagen, Oslo
""")
DESIGNS = _phrases("""
a systematic review, a systematic review and meta-analysis, a scoping review, a qualitative study, a
qualitative systematic review, a meta-synthesis, a randomised controlled trial, a cluster randomised
controlled trial, a pilot randomised controlled trial, a feasibility study, a cross-sectional study, a
cross-sectional survey, a prospective cohort study, a retrospective cohort study, a population-based cohort
study, a case-control study, a mixed-methods study, a realist evaluation, a process evaluation, an interview
study, a focus group study, a Delphi study, a national survey, a multicentre study, an economic evaluation, a
cost-effectiveness analysis, protocol for a randomised controlled trial, study protocol, a secondary analysis
of a randomised trial, a narrative review, an umbrella review, a grounded theory study, an ethnographic study,
a phenomenological study, a longitudinal study, a register-based study, a nationwide cohort study, a quality
improvement project, a discussion paper, a concept analysis, an integrative review, a pragmatic trial, a
stepped-wedge trial
""")
STOP_WORDS = _phrases("""
the, of, and, in, to, with, a, for, was, were, is, that, by, on, we, this, study, patients, care, from, as,
at, or, were, an, than, not, be, are, these, who, their, our, between, after, there, more, those, which, had,
have, but
""")
SURNAMES = _phrases("""
Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu, Hu, Guo, He, Lin, Gao, Luo, Zheng,
Liang, Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Smith, Jones, Williams, Brown, Taylor, Johnson, Davies,
Wilson, Evans, Thomas, Roberts, Walker, Wright, Robinson, Thompson, White, Hughes, Edwards, Green, Hall, Wood,
Harris, Martin, Jackson, Clarke, Lewis, Nguyen, Tran, Le, Pham, Singh, Kumar, Sharma, Patel, Gupta, Shah,
Khan, Ali, Ahmed, Hussain, Rahman, Garcia, Rodriguez, Martinez, Hernandez, Lopez, Gonzalez, Perez, Sanchez,
Ramirez, Torres, Silva, Santos, Oliveira, Souza, Pereira, Costa, Ferreira, Almeida, Müller, Schmidt,
Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Schäfer, Koch, Bauer, Richter, Klein,
Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger, Hartmann, Lange, Werner, Krause, Lehmann, Köhler,
Jäger, Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura, Kobayashi, Kato, Yoshida, Yamada,
Sasaki, Matsumoto, Inoue, Kimura, Hayashi, Shimizu, Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo,
Ricci, Marino, Greco, Bruno, Gallo, Conti, De Luca, Giordano, Mancini, Lombardi, Moretti, Jansen, de Vries,
van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peters,
Hendriks, van Leeuwen, Dekker, Brouwer, de Wit, Dijkstra, van der Meer, Andersen, Nielsen, Hansen, Pedersen,
Jensen, Larsen, Sørensen, Rasmussen, Jørgensen, Petersen, Madsen, Kristensen, Olsen, Thomsen, Christiansen,
Poulsen, Johansen, Møller, Østergaard, Søndergaard, Johansson, Andersson, Karlsson, Nilsson, Eriksson,
Larsson, Olsson, Persson, Svensson, Gustafsson, Pettersson, Jonsson, Lindberg, Lindström, Lindqvist, Åberg,
Sjöberg, Björk, Ström, Engström, Holm, Berg, Virtanen, Korhonen, Mäkinen, Nieminen, Mäkelä, Hämäläinen, Laine,
Heikkinen, Koskinen, Järvinen, Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski,
Zieliński, Szymański, Woźniak, Dąbrowski, Novák, Svoboda, Dvořák, Černý, Horváth, Kovács, Nagy, Tóth, Szabó,
Varga, Popescu, Ionescu, Papadopoulos, Georgiou, Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Öztürk, Aydın,
Doğan, Kılıç, Cohen, Levi, Friedman, Ivanov, Petrov, Smirnov, Kuznetsov, Murphy, Kelly, O'Sullivan, Walsh,
O'Brien, Byrne, Ryan, O'Connor, O'Neill, McCarthy, Doyle, Gallagher, MacDonald, Campbell, Stewart, Anderson,
Scott, Reid, Ross, Murray, Fraser, Tremblay, Gagnon, Roy, Côté, Bouchard, Gauthier, Morin, Lavoie, Fortin,
Gagné, Bélanger, Lévesque, Lefèvre, Dubois, Durand, Bernard, Moreau, Laurent, Simon, Michel, Leroy, Roux,
Girard, Bonnet, Dupont, Lambert, Fontaine, Rousseau, Vincent, Mercier, Blanc, Guérin, Chevalier, François,
Okafor, Okonkwo, Adeyemi, Mensah, Owusu, Boateng, Mwangi, Otieno, Kamau, Njoroge, Banda, Phiri, Dlamini,
Nkosi, Naidoo, Mohamed, Hassan, Ibrahim, Abdullah, Mahmoud, Hosseini, Mohammadi, Rezaei, Ahmadi, Karimi,
Moradi, Jafari, Sadeghi, Zhong, Tang, Deng, Feng, Cao, Peng, Zeng, Xiao, Tian, Dong, Pan, Yuan, Cai, Jiang,
Yu, Du, Ye, Cheng, Wei, Su, Lu, Ding, Ren, Shen, Yao, Fan, Jin, Xie, Han, Tan, Lim, Teo, Goh, Ng, Wong, Chan,
Leung, Ho, Lau, Cheung, Tsang, Kwok, Fung, García-López, Martínez-Sánchez, Gómez, Pérez, Rodríguez, González,
Fernández, Díaz, Álvarez, Muñoz, Jiménez, Ruiz, Moreno, Romero, Navarro, Domínguez, Vázquez, Ramos, Serrano,
Molina, Morales, Ortega, Delgado, Castro, Ortiz, Rubio, Marín, Núñez, Iglesias, Medina, Castillo, Lozano,
Guerrero, Méndez, Cruz, Herrera, Peña, Vega, Fuentes, Reyes, Aguilar, Ibáñez, Durán, Gonçalves, Rodrigues,
Fernandes, Lopes, Marques, Alves, Ribeiro, Carvalho, Teixeira, Sousa, Simões, Conceição, dos Santos, da Silva,
Smith-Jones, Kaur, Das, Roy
""")
GIVEN_NAMES = _phrases("""
Jane, John, Mary, James, Sarah, David, Emma, Michael, Helen, Peter, Anne, Robert, Susan, Richard, Elizabeth,
Thomas, Catherine, Andrew, Margaret, Christopher, Claire, Paul, Rachel, Mark, Louise, Stephen, Alison, Simon,
Julie, Ian, Karen, Martin, Fiona, Daniel, Laura, Matthew, Rebecca, Jonathan, Hannah, William, Joanne, Wei,
Jing, Xiaoming, Yan, Hui, Ming, Xin, Lei, Hong, Jun, Ying, Fang, Min, Tao, Qiang, Ling, Jian, Hao, Ji-yeon,
Min-jun, Seung-hoon, Hye-jin, Ji-hoon, Soo-jin, Young-ho, Hiroshi, Takeshi, Yuki, Kenji, Akiko, Naoko,
Satoshi, Keiko, María, José, Juan, Carlos, Ana, Luis, Javier, Carmen, Pilar, Francisco, Jesús, Elena, Pablo,
João, Luísa, Gonçalo, Inês, Thiago, Camila, Hans, Klaus, Jürgen, Ulrike, Katrin, Stefan, Sabine, Jörg,
Matthias, Anja, Lars, Anders, Ingrid, Søren, Mette, Bjørn, Åsa, Eva, Karin, Mikael, Pekka, Jukka, Päivi, Jan,
Piotr, Katarzyna, Agnieszka, Tomasz, Małgorzata, Jean-Pierre, Marie-Claude, François, Hélène, Sébastien,
Amélie, Chloé, Zoë, Giuseppe, Marco, Francesca, Giulia, Luca, Alessandro, Priya, Rajesh, Anil, Sunita, Deepak,
Amit, Kavita, Mohammed, Ahmed, Fatima, Aisha, Omar, Reza, Maryam, Mehmet, Ayşe, Emre, Chinedu, Ngozi, Kwame,
Ama, Wanjiru, Thabo, Nomvula, Minh, Duc, Olga, Irina, Sergei, Dmitri, Sean, Siobhan, Niamh, Ciarán, Alice,
Benjamin, Charlotte, Edward, Grace, Henry, Isabel, Jack, Kate, Lucy, Nicholas, Olivia, Patrick, Sophie,
Victoria, Yvonne, Zhen, Bo, Chao, Lin, Na, Ping
""")
JOURNAL_SUBJECTS = _phrases("""
Advanced Nursing, Nursing Studies, Clinical Nursing, Nursing Management, Nursing Scholarship, Caring Sciences,
General Practice, Family Practice, Primary Health Care, Public Health, Epidemiology, Community Health, Social
Work, Social Care, Gerontology, Geriatrics, Ageing and Society, Psychiatry, Psychiatric Nursing, Mental Health
Nursing, Clinical Psychology, Health Psychology, Pain, Pain Management, Rehabilitation Medicine,
Physiotherapy, Physical Therapy, Occupational Therapy, Palliative Care, Palliative Medicine, Supportive Care
in Cancer, Cancer Nursing, Oncology Nursing, Oncology, Cardiology, Cardiovascular Nursing, Diabetes Care,
Diabetes Research, Obesity, Nutrition and Dietetics, Midwifery, Obstetrics and Gynaecology, Paediatrics,
Pediatric Nursing, Child Health, Adolescent Health, Child and Family Social Work, Emergency Medicine, Critical
Care, Intensive Care Medicine, Surgery, Orthopaedic Nursing, Neurology, Stroke, Dementia, Alzheimer's Disease,
Addiction, Substance Abuse Treatment, Drug Policy, Alcohol and Alcoholism, Health Services Research, Health
Policy, Health Economics, Medical Ethics, Nursing Ethics, Medical Education, Nurse Education,
Interprofessional Care, Integrated Care, Quality in Health Care, Patient Safety, Patient Education and
Counseling, Health Communication, Qualitative Health Research, Mixed Methods Research, Evidence-Based Nursing,
Evidence-Based Medicine, Telemedicine and Telecare, Medical Internet Research, Health Informatics, Sociology
of Health and Illness, Social Science and Medicine, Disability and Rehabilitation, Intellectual Disability
Research, Autism and Developmental Disorders, Learning Disabilities, Sleep Research, Respiratory Medicine,
Asthma, Rheumatology, Arthritis Care and Research, Musculoskeletal Disorders, Sports Medicine, Spine,
Infectious Diseases, HIV Care, Tropical Medicine, Global Health, Environmental Health, Occupational Health,
Women's Health, Men's Health, Migration and Health, Violence and Victims, Interpersonal Violence, Trauma and
Stress, Affective Disorders, Anxiety Disorders, Schizophrenia Research, Eating Disorders, Suicide and
Life-Threatening Behavior, Psychosomatic Research, Behavioral Medicine, Preventive Medicine, Health Promotion,
Health Education Research, Community Nursing, Home Health Care, Long-Term Care, Aging and Health, Applied
Gerontology, Family Nursing, Transcultural Nursing, Holistic Nursing, Renal Care, Wound Care, Tissue
Viability, Infection Control, Hospital Infection, Pharmacy Practice, Clinical Pharmacy, Clinical Epidemiology,
Clinical Trials, Systematic Reviews, Research Methodology, Nursing Research, Implementation Science, Medical
Care, Health Care Management, Nursing Administration, Nursing Leadership, Healthcare Quality, Social Policy,
Child Welfare, Youth Studies, Family Studies, Disability Studies, Community Psychology, Counselling
Psychology, Music Therapy, Art Therapy, Complementary Therapies, Integrative Medicine, Acupuncture, Dental
Research, Oral Health, Ophthalmology, Audiology, Speech and Language Therapy, Dysphagia, Stroke
Rehabilitation, Neurorehabilitation, Brain Injury, Spinal Cord Medicine, Burn Care, Wound Management,
Perinatal Nursing, Neonatal Nursing, Breastfeeding, Reproductive Health, Sexual Health, Menopause, Urology,
Continence, Gastroenterology, Hepatology, Nephrology, Haematology, Transplantation, Anaesthesia, Emergency
Nursing, Perioperative Nursing, Critical Care Nursing, Mental Health Services, Forensic Psychiatry,
Psychiatric Rehabilitation, Recovery, Peer Support, Homelessness, Housing Studies, Health Equity, Rural
Health, Remote Health, Indigenous Health, Ethnicity and Health
""")
# Drug names and gene or biomarker symbols, as clinical titles carry them: stems and suffixes give a
# thousand plausible, rare tokens without listing them.
_DRUG_STEMS = _phrases("""
ama, beno, cari, dela, efi, fosa, gali, hexa, ito, lora, mira, nebi, oma, pali, quina, rosu, seli, tela, ubro,
vala, zoli, abro, buda, cela, dapa, empa, flu, glima, iri, keto, levo, mepo, nira, olo, pira, rani, suma, tica
""")
_DRUG_SUFFIXES = _phrases("""
mab, tinib, pril, sartan, olol, statin, azole, cillin, mycin, vir, prazole, dronate, gliptin, gliflozin,
parin, oxetine, azepam, triptan, setron, lukast, afil, dipine, floxacin, platin
""")
_GENE_LETTERS = "ABCDEFGHIKLMNPRSTVWXZ"
LANGUAGES = {
    "chi": "Chinese",
    "ger": "German",
    "fre": "French",
    "spa": "Spanish",
    "por": "Portuguese",
    "jpn": "Japanese",
}
SPELLINGS = _table(
    """
randomised/randomized behaviour/behavior behavioural/behavioral paediatric/pediatric
organisational/organizational haemodialysis/hemodialysis anaemia/anemia oedema/edema centred/centered
programmes/programs ageing/aging hospitalisation/hospitalization utilisation/utilization
anaesthesia/anesthesia haemorrhage/hemorrhage orthopaedic/orthopedic gynaecological/gynecological
counselling/counseling standardised/standardized immunisation/immunization individualised/individualized
multicentre/multicenter neighbourhood/neighborhood catastrophising/catastrophizing centres/centers
haematological/hematological hypoglycaemia/hypoglycemia leukaemia/leukemia diarrhoea/diarrhea
oesophageal/esophageal sensitisation/sensitization apnoea/apnea glycaemic/glycemic faecal/fecal
""",
    "/",
)
SPELLINGS.update({us: uk for uk, us in list(SPELLINGS.items())})
WORD_ABBREVIATIONS = _table(
    """
Journal=J International=Int British=Br American=Am European=Eur Scandinavian=Scand Australian=Aust
Canadian=Can Nordic=Nord Irish=Ir Japanese=Jpn Chinese=Chin African=Afr Annals=Ann Archives=Arch Advances=Adv
Advanced=Adv Current=Curr Opinion=Opin Research=Res Review=Rev Reviews=Rev Nursing=Nurs Studies=Stud
Clinical=Clin Medicine=Med Medical=Med Management=Manag Scholarship=Scholarsh Sciences=Sci Science=Sci
General=Gen Practice=Pract Family=Fam Primary=Prim Epidemiology=Epidemiol Social=Soc Society=Soc
Gerontology=Gerontol Geriatrics=Geriatr Psychiatric=Psychiatr Mental=Ment Psychology=Psychol
Rehabilitation=Rehabil Physiotherapy=Physiother Physical=Phys Therapy=Ther Therapies=Ther Occupational=Occup
Palliative=Palliat Supportive=Support Oncology=Oncol Cardiology=Cardiol Cardiovascular=Cardiovasc Obesity=Obes
Nutrition=Nutr Dietetics=Diet Obstetrics=Obstet Gynaecology=Gynaecol Paediatrics=Paediatr Pediatric=Pediatr
Adolescent=Adolesc Emergency=Emerg Critical=Crit Surgery=Surg Orthopaedic=Orthop Neurology=Neurol
Dementia=Dement Disease=Dis Diseases=Dis Addiction=Addict Substance=Subst Treatment=Treat Alcoholism=Alcohol
Services=Serv Economics=Econ Education=Educ Interprofessional=Interprof Integrated=Integr Quality=Qual
Safety=Saf Counseling=Couns Counselling=Couns Communication=Commun Qualitative=Qual Evidence=Evid
Telemedicine=Telemed Informatics=Inform Sociology=Sociol Illness=Illn Disability=Disabil Disabilities=Disabil
Intellectual=Intellect Developmental=Dev Disorders=Disord Learning=Learn Respiratory=Respir
Rheumatology=Rheumatol Musculoskeletal=Musculoskelet Infectious=Infect Tropical=Trop Global=Glob
Environmental=Environ Migration=Migr Victims=Vict Interpersonal=Interpers Affective=Affect
Schizophrenia=Schizophr Eating=Eat Threatening=Threat Behavior=Behav Behavioral=Behav Psychosomatic=Psychosom
Preventive=Prev Promotion=Promot Applied=Appl Transcultural=Transcult Holistic=Holist Renal=Ren
Infection=Infect Hospital=Hosp Pharmacy=Pharm Systematic=Syst Methodology=Methodol Implementation=Implement
Administration=Adm Leadership=Leadersh Healthcare=Healthc Welfare=Welf Complementary=Complement
Integrative=Integr Acupuncture=Acupunct Dental=Dent Ophthalmology=Ophthalmol Audiology=Audiol Language=Lang
Neurorehabilitation=Neurorehabil Injury=Inj Perinatal=Perinat Reproductive=Reprod Sexual=Sex Urology=Urol
Continence=Contin Gastroenterology=Gastroenterol Hepatology=Hepatol Nephrology=Nephrol Haematology=Haematol
Transplantation=Transplant Anaesthesia=Anaesth Perioperative=Perioper Housing=Hous Indigenous=Indig
Ethnicity=Ethn Methods=Methods
""",
    "=",
)
_DROPPED_WORDS = frozenset({"of", "and", "in", "the", "for", "on", "&"})
_QUALIFIERS = _phrases("""
International, British, American, European, Scandinavian, Australian, Canadian, Asian, Nordic, Irish,
Japanese, Chinese, Korean, African, Clinical
""")
# (pattern, weight): how journal titles are built from a subject; "{q}" is a qualifier from the list above.
_JOURNAL_FORMS = (
    ("Journal of {s}", 30), ("{q} Journal of {s}", 25), ("{s}", 10), ("BMC {s}", 6), ("Annals of {s}", 4),
    ("Archives of {s}", 4), ("{s} Research", 5), ("Research in {s}", 3), ("Advances in {s}", 3),
    ("Current Opinion in {s}", 2), ("{s} Today", 2), ("{s} Review", 2), ("{s} Open", 3),
)  # fmt: skip
_DOI_STYLES = ("wiley", "elsevier", "sage", "lww", "tandf", "springer")
_COPYRIGHTS = (
    "Copyright © {year} John Wiley & Sons Ltd.", "(c) {year} Elsevier Ltd. All rights reserved.",
    "© The Author(s) {year}.", "Copyright {year} The Authors. Published by Elsevier Inc.",
    "Crown Copyright © {year} Published by Elsevier Ltd. All rights reserved.",
)  # fmt: skip
_STRUCTURE = ("Background:", "Methods:", "Results:", "Conclusions:")

# fmt: on


class _Zipf:
    """Draws from a list with weight 1/(rank + offset): a few items are everywhere, most are rare."""

    def __init__(self, items: Sequence[str], offset: float = 3.0) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(1 / (rank + offset) for rank in range(len(self.items))))

    def __call__(self, rng: random.Random) -> str:
        return self.items[
            min(bisect(self.cumulative, rng.random() * self.cumulative[-1]), len(self.items) - 1)
        ]

    def many(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.items, cum_weights=self.cumulative, k=count)


def _drug_names() -> list[str]:
    return [stem + suffix for suffix in _DRUG_SUFFIXES for stem in _DRUG_STEMS]


def _gene_symbols() -> list[str]:
    rng = random.Random(_JOURNAL_SEED)
    symbols = (
        "".join(rng.choices(_GENE_LETTERS, k=rng.randint(2, 4))) + rng.choice(("", str(rng.randint(1, 19))))
        for _ in range(900)
    )
    return list(dict.fromkeys(symbols))


_OPEN = _Zipf(OPENINGS)
_ADJ = _Zipf(ADJECTIVES, offset=10)
_NOUN = _Zipf(NOUNS, offset=10)
_POP = _Zipf(POPULATIONS)
_SETTING = _Zipf(SETTINGS)
_COUNTRY = _Zipf(COUNTRIES)
_DESIGN = _Zipf(DESIGNS)
_DRUG = _Zipf(_drug_names(), offset=50)
_GENE = _Zipf(_gene_symbols(), offset=50)
_SURNAME = _Zipf(SURNAMES, offset=10)  # Wang ~2.5 % of author slots, as in PubMed
_GIVEN = _Zipf(GIVEN_NAMES, offset=20)
_ABSTRACT_WORD = _Zipf(STOP_WORDS + [w for p in NOUNS + ADJECTIVES for w in p.split()], offset=2)
_CONNECTORS = ("of", "in", "and", "for", "with", "on", "after", "during", "versus", "among", "to", "and")
_TITLE_LENGTHS = range(8, 21)
_TITLE_LENGTH_WEIGHTS = (4, 7, 10, 12, 12, 11, 10, 8, 7, 6, 5, 4, 4)
_AUTHOR_COUNT_WEIGHTS = (6, 10, 13, 14, 13, 11, 9, 7, 6, 4, 4, 3)  # 1..12 authors
_AUTHOR_STYLES = ("compact", "dots", "dots_tight", "full", "first_full")
_JOURNAL_STYLES = ("full", "abbreviation", "dotted", "sentence", "upper", "ampersand")
_NEAR_MISS_KINDS = ("update", "erratum", "comment", "conference", "part")
_NEAR_MISS_WEIGHTS = (25, 20, 15, 25, 15)


def vocabulary() -> set[str]:
    """Every distinct lower-cased word titles are built from (the module docstring's "few thousand")."""
    lists = (OPENINGS, ADJECTIVES, NOUNS, POPULATIONS, SETTINGS, COUNTRIES, DESIGNS)
    words = {w.lower() for items in lists for phrase in items for w in phrase.split()}
    return words | {w.lower() for w in _DRUG.items + _GENE.items}


# ----------------------------------------------------------------------------------------------- journals


@dataclass(frozen=True, slots=True)
class _Journal:
    index: int
    full: str
    abbreviation: str  # ISO 4 / NLM: "J Adv Nurs"
    dotted: str  # "J. Adv. Nurs."
    issn: str
    doi_style: str
    code: str  # the journal's letters in its DOIs: "jan"
    first_year: int
    issues: int
    online_only: bool  # article numbers instead of pages, no issues


def _abbreviate(full: str) -> tuple[str, str]:
    plain: list[str] = []
    dotted: list[str] = []
    for word in full.replace("-", " ").split():
        if word.lower() in _DROPPED_WORDS:
            continue
        short = WORD_ABBREVIATIONS.get(word, word.replace("'", ""))
        plain.append(short)
        dotted.append(f"{short}." if short != word else short)
    return " ".join(plain), " ".join(dotted)


def _issn(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(7)]
    check = (11 - sum(d * w for d, w in zip(digits, range(8, 1, -1), strict=True)) % 11) % 11
    text = "".join(map(str, digits)) + ("X" if check == 10 else str(check))
    return f"{text[:4]}-{text[4:]}"


@cache
def journals() -> tuple[_Journal, ...]:
    rng = random.Random(_JOURNAL_SEED)
    patterns = [form for form, _ in _JOURNAL_FORMS]
    weights = [weight for _, weight in _JOURNAL_FORMS]
    names: dict[str, None] = {}
    while len(names) < JOURNAL_COUNT:
        pattern = rng.choices(patterns, weights)[0]
        names[pattern.format(q=rng.choice(_QUALIFIERS), s=rng.choice(JOURNAL_SUBJECTS))] = None
    result = []
    for index, full in enumerate(names):
        abbreviation, dotted = _abbreviate(full)
        online = full.startswith("BMC") or full.endswith("Open")
        style = "bmc" if full.startswith("BMC") else "plos" if online else rng.choice(_DOI_STYLES)
        code = "".join(word[0] for word in abbreviation.split()).lower()
        first_year = rng.randint(2000, 2012) if online else rng.randint(1950, 2010)
        issues = rng.choice((4, 6, 8, 12))
        result.append(
            _Journal(index, full, abbreviation, dotted, _issn(rng), style, code, first_year, issues, online)
        )
    return tuple(result)


def _journal_name(journal: _Journal, style: str) -> str | None:
    """The journal as one database writes it; ``None`` when the style changes nothing for this journal."""
    if style == "full":
        return journal.full
    if style == "abbreviation":
        return journal.abbreviation
    if style == "dotted":
        return journal.dotted if journal.dotted != journal.abbreviation else None
    if style == "sentence":  # MEDLINE's JF: "Journal of advanced nursing"
        first, *rest = journal.full.split(" ")
        return " ".join([first, *(w if w.isupper() else w.lower() for w in rest)])
    if style == "upper":
        return journal.full.upper()
    if " and " in journal.full:
        return journal.full.replace(" and ", " & ")
    return None


# ------------------------------------------------------------------------------------------ publications


@dataclass(frozen=True, slots=True)
class _Person:
    family: str
    given: tuple[str, ...]  # spelled out; each copy renders them in its own style


@dataclass(slots=True)
class _Work:
    """One publication: the truth every copy is rendered from."""

    title: str
    people: list[_Person]
    year: int
    journal: _Journal
    volume: str | None
    issue: str | None
    pages: str | None
    doi: str | None
    pmid: str | None
    abstract: str | None
    keywords: list[str]
    language: str = "eng"
    publication_type: str = "JOUR"
    near_miss: tuple[str, int] | None = None  # (kind, pair number), on both publications of a near miss


@dataclass(slots=True)
class _Copy:
    """One record of a publication as one database exported it."""

    title: str
    people: list[_Person]
    author_style: str
    year: int | None
    journal: str
    journal_style: str
    volume: str | None
    issue: str | None
    pages: str | None
    doi: str | None
    pmid: str | None
    issn: str | None
    abstract: str | None
    keywords: list[str] = field(default_factory=list)
    language: str = "eng"
    publication_type: str = "JOUR"

    def record(self, source_record_id: str) -> Record:
        return Record(
            title=self.title,
            authors=[Author(family=p.family, given=_given(p, self.author_style)) for p in self.people],
            year=self.year, journal=self.journal, volume=self.volume, issue=self.issue, pages=self.pages,
            doi=self.doi, pmid=self.pmid, issn=self.issn, abstract=self.abstract, keywords=self.keywords,
            language=self.language, publication_type=self.publication_type, source_record_id=source_record_id,
        )  # fmt: skip


def _initial(name: str, dots: bool) -> str:
    parts = [part[0].upper() for part in name.split("-") if part]
    return "-".join(f"{p}." for p in parts) if dots else "".join(parts)  # "J.-P." / MEDLINE's "JP"


def _given(person: _Person, style: str) -> str:
    names = person.given
    if style == "compact":
        return "".join(_initial(n, dots=False) for n in names)  # Smith, JA
    if style == "dots":
        return " ".join(_initial(n, dots=True) for n in names)  # Smith, J. A.
    if style == "dots_tight":
        return "".join(_initial(n, dots=True) for n in names)  # Smith, J.A.
    if style == "full":
        return " ".join(names)  # Smith, Jane Anne
    return " ".join([names[0], *(_initial(n, dots=True) for n in names[1:])])  # Smith, Jane A.


def _person(rng: random.Random) -> _Person:
    given = (_GIVEN(rng),) if rng.random() < 0.6 else (_GIVEN(rng), _GIVEN(rng))
    return _Person(_SURNAME(rng), given)


def _people(rng: random.Random) -> list[_Person]:
    return [_person(rng) for _ in range(rng.choices(range(1, 13), _AUTHOR_COUNT_WEIGHTS)[0])]


def _noun_phrase(rng: random.Random) -> list[str]:
    words = [_ADJ(rng)] if rng.random() < 0.45 else []
    roll = rng.random()
    if roll < 0.04:
        words.append(_DRUG(rng))
    elif roll < 0.07:
        words += [_GENE(rng), rng.choice(("polymorphisms", "expression", "variants", "levels"))]
    else:
        words += _NOUN(rng).split()
    if rng.random() < 0.25:
        words += _NOUN(rng).split()
    return words


def _piece(rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.32:
        return [rng.choice(_CONNECTORS), *_noun_phrase(rng)]
    if roll < 0.52:
        return [rng.choice(("in", "among", "for")), *_POP(rng).split()]
    if roll < 0.64:
        return ["in", *_SETTING(rng).split()]
    if roll < 0.72:
        return ["in", *_COUNTRY(rng).split()]
    if roll < 0.82:
        return ["with", *_NOUN(rng).split()]
    return ["and", *_noun_phrase(rng)]


def _title(rng: random.Random) -> str:
    while True:
        target = rng.choices(_TITLE_LENGTHS, _TITLE_LENGTH_WEIGHTS)[0]
        design = _DESIGN(rng).split() if rng.random() < 0.4 else []
        words = _OPEN(rng).split() if rng.random() < 0.55 else []
        words += _noun_phrase(rng)
        while len(words) + len(design) < target:
            words += _piece(rng)
        if 8 <= len(words) + len(design) <= 20:
            title = " ".join(words)
            title = title[0].upper() + title[1:]
            return f"{title}: {' '.join(design)}" if design else title


def _abstract(rng: random.Random) -> str:
    lengths = [rng.randint(10, 28) for _ in range(rng.randint(5, 11))]
    pool = _ABSTRACT_WORD.many(rng, sum(lengths))  # one draw for the whole abstract: 100,000s are made
    sentences = []
    start = 0
    for length in lengths:
        words = pool[start : start + length]
        start += length
        if rng.random() < 0.25:
            words.insert(rng.randrange(length), f"(n = {rng.randint(12, 4000)})")
        sentence = " ".join(words)
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    if rng.random() < 0.45:
        step = len(sentences) / len(_STRUCTURE)
        for offset, label in enumerate(_STRUCTURE):
            sentences.insert(int(offset * step) + offset, label)
    return " ".join(sentences)


def _doi(journal: _Journal, year: int, number: int, rng: random.Random) -> str:
    """Publisher-shaped and unique: every DOI carries the publication's number."""
    style = journal.doi_style
    if style == "wiley":
        return f"10.1111/{journal.code}.{10000 + number}"
    if style == "elsevier":
        return f"10.1016/j.{journal.code}.{year}.{rng.randint(1, 12):02d}.{number:06d}"
    if style == "bmc":
        return f"10.1186/s{12800 + journal.index}-{year % 100:02d}-{number:05d}-{rng.randint(0, 9)}"
    if style == "plos":
        return f"10.1371/journal.p{journal.code}.{number:07d}"
    if style == "sage":
        return f"10.1177/{journal.issn.replace('-', '')}{year % 100:02d}{number:06d}"
    if style == "lww":
        return f"10.1097/{journal.code.upper()}.{number:013d}"
    if style == "tandf":
        return f"10.1080/{journal.issn.replace('-', '')}.{year}.{number}"
    return f"10.1007/s{10000 + journal.index}-{year % 100:03d}-{number:05d}-{rng.randint(0, 9)}"


def _placement(journal: _Journal, year: int, rng: random.Random) -> tuple[str, str | None, str]:
    """Volume, issue and pages for a publication in ``journal`` in ``year``."""
    volume = str(max(1, year - journal.first_year + 1))
    if journal.online_only:
        pages = (
            f"e0{rng.randint(100000, 299999)}" if journal.doi_style == "plos" else str(rng.randint(1, 999))
        )
        return volume, None, pages
    start = rng.randint(1, 2400)
    pages = f"e{start}" if rng.random() < 0.05 else f"{start}-{start + rng.randint(3, 16)}"
    return volume, str(rng.randint(1, journal.issues)), pages


def _year(rng: random.Random) -> int:
    return min(2024, int(rng.triangular(1980, 2025, 2025)))  # the literature grows: most records are recent


def _work(number: int, rng: random.Random, pmid: int) -> _Work:
    journal = rng.choice(journals())
    year = max(_year(rng), journal.first_year)
    volume, issue, pages = _placement(journal, year, rng)
    language = "eng" if rng.random() < 0.92 else rng.choices(list(LANGUAGES), (6, 3, 2, 3, 1, 1))[0]
    return _Work(
        title=_title(rng),
        people=_people(rng),
        year=year, journal=journal, volume=volume, issue=issue, pages=pages,
        doi=_doi(journal, year, number, rng) if rng.random() < 0.7 else None,
        pmid=str(pmid) if rng.random() < 0.5 else None,
        abstract=_abstract(rng) if rng.random() < 0.6 else None,
        keywords=[_NOUN(rng) for _ in range(rng.randint(0, 6))],
        language=language,
    )  # fmt: skip


def _near_miss(kind: str, base: _Work, number: int, rng: random.Random, pmid: int) -> _Work:
    """A distinct publication that a careless matcher would merge with ``base``; both are marked."""
    pair = base.near_miss = (kind, number)

    def doi(journal: _Journal, year: int) -> str | None:  # a DOI of its own when the base has one
        return _doi(journal, year, number, rng) if base.doi else None

    new_pmid = str(pmid) if base.pmid else None
    if kind == "update":  # a review updated years later under the same title, partly by new authors
        year = base.year + rng.randint(3, 8) if base.year <= 2016 else base.year - rng.randint(3, 8)
        people = ([base.people[0]] if rng.random() < 0.5 else []) + _people(rng)[: rng.randint(1, 6)]
        journal = base.journal if rng.random() < 0.6 else rng.choice(journals())
        volume, issue, pages = _placement(journal, year, rng)
        abstract = _abstract(rng) if base.abstract else None
        return _Work(base.title, people, year, journal, volume, issue, pages, doi(journal, year), new_pmid,
                     abstract, list(base.keywords), near_miss=pair)  # fmt: skip
    if kind in ("erratum", "comment"):
        if kind == "erratum":
            pattern = rng.choice(
                ("Erratum: {t}", "Erratum to: {t}", "Correction: {t}", 'Corrigendum to "{t}"')
            )
            people = list(base.people) if rng.random() < 0.7 else []
            journal = base.journal
        else:
            pattern = rng.choice(("Comment on: {t}", 'Comment on "{t}"', "Re: {t}"))
            people = _people(rng)[: rng.randint(1, 3)]
            journal = base.journal if rng.random() < 0.6 else rng.choice(journals())
        title = pattern.format(t=base.title)
        if pattern.startswith("Corrigendum") and base.pages:
            title += f" [{base.journal.abbreviation} {base.volume} ({base.year}) {base.pages}]"
        year = base.year + (1 if rng.random() < 0.4 else 0)
        volume, issue, pages = _placement(journal, year, rng)
        return _Work(title, people, year, journal, volume, issue, pages.split("-")[0], doi(journal, year),
                     new_pmid, None, [], near_miss=pair)  # fmt: skip
    if kind == "conference":  # the abstract presented before the article, under the same title
        people = list(base.people) if rng.random() < 0.4 else base.people[: rng.randint(1, len(base.people))]
        year = base.year - (1 if rng.random() < 0.5 else 0)
        volume, issue, pages = _placement(base.journal, year, rng)
        journal = base.journal
        if rng.random() < 0.5:  # the journal's supplement
            volume, issue = f"{volume} Suppl {rng.randint(1, 3)}", None
        else:  # the congress's own abstract book
            full = f"{rng.choice(_QUALIFIERS)} {rng.choice(JOURNAL_SUBJECTS)} Congress {year}: Abstracts"
            abbreviation, dotted = _abbreviate(full)
            journal = replace(journal, full=full, abbreviation=abbreviation, dotted=dotted)
        abstract = _abstract(rng) if rng.random() < 0.7 else None
        return _Work(base.title, people, year, journal, volume, issue, f"S{rng.randint(1, 400)}",
                     doi(journal, year) if rng.random() < 0.15 else None, None, abstract, [],
                     publication_type="ABST", near_miss=pair)  # fmt: skip
    first, second = rng.choice(
        ((": Part 1", ": Part 2"), (". Part I", ". Part II"), (" (part 1)", " (part 2)"))
    )
    title = base.title
    base.title += first
    match = _RANGE.match(base.pages or "")
    start = int(match.group(2)) + 1 if match else 0  # part 2 follows part 1 in the same issue
    following = (
        f"{start}-{start + rng.randint(3, 16)}" if match else _placement(base.journal, base.year, rng)[2]
    )
    return _Work(title + second, list(base.people), base.year, base.journal, base.volume, base.issue,
                 following, doi(base.journal, base.year), new_pmid, _abstract(rng) if base.abstract else None,
                 list(base.keywords), base.language, near_miss=pair)  # fmt: skip


def _render(work: _Work, rng: random.Random) -> _Copy:
    """The first record of a publication, in one database's style."""
    style = rng.choices(("full", "abbreviation", "sentence"), (55, 30, 15))[0]
    return _Copy(
        title=work.title, people=list(work.people),
        author_style=rng.choices(_AUTHOR_STYLES, (35, 30, 10, 10, 15))[0],
        year=work.year, journal=_journal_name(work.journal, style) or work.journal.full, journal_style=style,
        volume=work.volume, issue=work.issue, pages=work.pages, doi=work.doi, pmid=work.pmid,
        issn=work.journal.issn if rng.random() < 0.8 else None, abstract=work.abstract,
        keywords=list(work.keywords), language=work.language, publication_type=work.publication_type,
    )  # fmt: skip


# ------------------------------------------------------------------------------------------- variations
# Each takes a duplicate's copy and changes one thing the way another database would have written it;
# it returns False when it does not apply (no DOI to drop, no "and" to entity-encode...).

Variation = Callable[[_Copy, _Work, random.Random], bool]
_RANGE = re.compile(r"^(\d+)-(\d+)$")
_WORD = re.compile(r"[A-Za-z]+")
_PUNCTUATION = re.compile(r"[:;,?!\"]")
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
# Letters NFKD does not decompose into a base letter and a combining mark.
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i", "đ": "d", "æ": "ae", "ß": "ss"}
)


def _set(copy: _Copy, name: str, value: object) -> bool:
    if getattr(copy, name) == value:
        return False
    setattr(copy, name, value)
    return True


def _fold(text: str, german: bool = False) -> str:
    if german:
        text = text.translate(_GERMAN)
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _title_case(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    title = copy.title
    choice = rng.randrange(3)
    if choice == 0:
        return _set(copy, "title", title.upper())
    if choice == 1:
        return _set(copy, "title", title[:1] + title[1:].lower())
    return _set(copy, "title", " ".join(w[:1].upper() + w[1:] for w in title.split(" ")))


def _title_punctuation(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    title = copy.title
    options = {
        " ".join(_PUNCTUATION.sub("", title).split()),
        title.replace(": ", ". ", 1),
        title.replace(": ", " - ", 1),
        re.sub(r"(?<=\w)-(?=\w)", " ", title),
    } - {title}
    return bool(options) and _set(copy, "title", rng.choice(sorted(options)))


def _title_html(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    title = copy.title
    if " and " in title and rng.random() < 0.5:
        return _set(copy, "title", title.replace(" and ", " &amp; ", 1))
    if "'" in title:
        return _set(copy, "title", title.replace("'", "&#39;"))
    words = title.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not candidates:
        return False
    chosen = rng.choice(candidates)
    words[chosen] = f"<i>{words[chosen]}</i>"
    return _set(copy, "title", " ".join(words))


def _title_period(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    return _set(copy, "title", copy.title[:-1] if copy.title.endswith(".") else f"{copy.title}.")


def _title_translated(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    if work.language == "eng":
        return False
    bracketed = f"[{copy.title}]." if rng.random() < 0.5 else f"{copy.title} [{LANGUAGES[work.language]}]"
    return _set(copy, "title", bracketed)  # MEDLINE brackets a translated title; others add the language


def _title_typo(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    words = copy.title.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return False
    chosen = rng.choice(candidates)
    word = words[chosen]
    at = rng.randrange(1, len(word) - 1)
    operation = rng.randrange(4)
    if operation == 0:
        word = word[:at] + word[at + 1 :]
    elif operation == 1:
        word = word[:at] + word[at] + word[at:]
    elif operation == 2:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        word = word[:at] + rng.choice([c for c in "aeinorst" if c != word[at]]) + word[at + 1 :]
    words[chosen] = word
    return _set(copy, "title", " ".join(words))


def _title_spelling(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        other = SPELLINGS.get(word.lower())
        if other is None:
            return word
        return other.upper() if word.isupper() else other.capitalize() if word[0].isupper() else other

    return _set(copy, "title", _WORD.sub(swap, copy.title))


def _diacritics(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    german = rng.random() < 0.3  # Müller -> Mueller rather than Muller
    people = [_Person(_fold(p.family, german), tuple(_fold(g, german) for g in p.given)) for p in copy.people]
    changed = people != copy.people
    copy.people = people
    return _set(copy, "title", _fold(copy.title)) or changed


def _journal_style(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    styles = [style for style in _JOURNAL_STYLES if style != copy.journal_style]
    for style in rng.sample(styles, len(styles)):
        name = _journal_name(work.journal, style)
        if name and name != copy.journal:
            copy.journal, copy.journal_style = name, style
            return True
    return False


def _pages_short(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    match = _RANGE.match(copy.pages or "")
    if not match:
        return False
    start, end = match.groups()
    if rng.random() < 0.2:
        return _set(copy, "pages", start)  # first page only
    common = 0
    while common < len(start) - 1 and len(start) == len(end) and start[common] == end[common]:
        common += 1
    return _set(copy, "pages", f"{start}-{end[common:]}")  # MEDLINE: 288-97


def _author_style(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    if not copy.people:
        return False
    return _set(copy, "author_style", rng.choice([s for s in _AUTHOR_STYLES if s != copy.author_style]))


def _authors_truncated(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    options = [n for n in (3, 6) if len(copy.people) > n]
    return bool(options) and _set(copy, "people", copy.people[: rng.choice(options)])


def _ahead_of_print(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    if copy.year is None:
        return False
    copy.year += -1 if rng.random() < 0.75 else 1  # online first: the year before the issue's
    if rng.random() < 0.6:
        copy.volume = copy.issue = copy.pages = None
    return True


def _doi_missing(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    return _set(copy, "doi", None)


def _doi_url(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    if copy.doi is None or not copy.doi.startswith("10."):
        return False
    return _set(copy, "doi", rng.choice(("https://doi.org/", "http://dx.doi.org/", "doi:")) + copy.doi)


def _doi_upper(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    return copy.doi is not None and _set(copy, "doi", copy.doi.upper())


def _pmid_missing(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    return _set(copy, "pmid", None)


def _abstract_missing(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    return _set(copy, "abstract", None)


def _abstract_truncated(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    words = (copy.abstract or "").split(" ")
    if len(words) < 40:
        return False
    keep = rng.randint(len(words) // 3, len(words) * 3 // 4)
    tail = rng.choice(("", "...", f" [ABSTRACT TRUNCATED AT {keep} WORDS]"))  # the last is Ovid's note
    return _set(copy, "abstract", " ".join(words[:keep]) + tail)


def _abstract_copyright(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    if not copy.abstract:
        return False
    return _set(copy, "abstract", f"{copy.abstract} {rng.choice(_COPYRIGHTS).format(year=work.year)}")


def _issue_missing(copy: _Copy, work: _Work, rng: random.Random) -> bool:
    return _set(copy, "issue", None)


# name -> (weight, variation): the weights say how often each difference shows up between two databases.
_VARIATIONS: dict[str, tuple[float, Variation]] = {
    "title_case": (6, _title_case), "title_punctuation": (3, _title_punctuation),
    "title_html": (2, _title_html), "title_period": (4, _title_period),
    "title_translated": (2, _title_translated), "title_typo": (2, _title_typo),
    "title_spelling": (1.5, _title_spelling), "diacritics": (2, _diacritics),
    "journal_style": (6, _journal_style), "pages_short": (4, _pages_short),
    "author_style": (6, _author_style),
    "authors_truncated": (2, _authors_truncated), "ahead_of_print": (2, _ahead_of_print),
    "doi_missing": (4, _doi_missing), "doi_url": (2, _doi_url), "doi_upper": (1.5, _doi_upper),
    "pmid_missing": (3, _pmid_missing), "abstract_missing": (3, _abstract_missing),
    "abstract_truncated": (1.5, _abstract_truncated), "abstract_copyright": (1.5, _abstract_copyright),
    "issue_missing": (1.5, _issue_missing),
}  # fmt: skip
_VARIATION_NAMES = list(_VARIATIONS)
_VARIATION_WEIGHTS = [weight for weight, _ in _VARIATIONS.values()]


def _vary(copy: _Copy, work: _Work, rng: random.Random, counts: Counter[str]) -> None:
    """Apply 0-4 distinct variations (0: the same record exported twice, which happens too)."""
    wanted = rng.choices((0, 1, 2, 3, 4), (8, 30, 32, 20, 10))[0]
    applied: list[str] = []
    for _ in range(6 * wanted):
        if len(applied) == wanted:
            break
        name = rng.choices(_VARIATION_NAMES, _VARIATION_WEIGHTS)[0]
        if name not in applied and _VARIATIONS[name][1](copy, work, rng):
            applied.append(name)
    counts.update(applied or ["(none)"])


# --------------------------------------------------------------------------------------------- the set


@dataclass(frozen=True)
class GeneratedSet:
    ris: Path
    truth: Path
    records: int
    publications: int  # distinct publications: records minus removable
    groups: int  # publications with more than one record
    removable: int  # records a perfect deduplication marks as duplicates
    near_misses: dict[str, int]  # kind -> publications made as a near miss of another
    # source_record_id -> (kind, pair number) for the records on either side of a near miss, so that a
    # false merge can be told apart from a near miss it fell for
    near_miss_pairs: dict[str, tuple[str, int]]
    variations: dict[str, int]  # variation -> duplicate records it was applied to


def truth_path(ris: Path) -> Path:
    return ris.with_name(ris.name + ".truth.csv")


def read_truth(path: Path) -> dict[str, str]:
    """source_record_id -> group ("" for a record with no duplicate)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["source_record_id"]: row["group"] for row in csv.DictReader(handle)}


def _group_extras(removable: int, rng: random.Random) -> list[int]:
    """Extra copies per duplicated publication (groups of 2-4 records), summing to ``removable``."""
    extras: list[int] = []
    while removable > 0:
        extra = min(removable, rng.choices((1, 2, 3), (70, 22, 8))[0])
        extras.append(extra)
        removable -= extra
    return extras


def generate(
    path: Path, records: int, seed: int = 1, duplicate_share: float = DUPLICATE_SHARE
) -> GeneratedSet:
    """Write ``records`` RIS records to ``path`` and the truth beside it (see :func:`truth_path`)."""
    if records < 20:
        raise ValueError("generate at least 20 records")
    rng = random.Random(seed)
    removable = round(records * duplicate_share)
    count = records - removable
    pmids = rng.sample(range(1_000_000, 39_000_000), count)
    near = round(count * NEAR_MISS_SHARE)
    works = [_work(number, rng, pmids[number]) for number in range(count - near)]
    near_misses: Counter[str] = Counter()
    for base in rng.sample(range(len(works)), near):
        kind = rng.choices(_NEAR_MISS_KINDS, _NEAR_MISS_WEIGHTS)[0]
        works.append(_near_miss(kind, works[base], len(works), rng, pmids[len(works)]))
        near_misses[kind] += 1
    extras = _group_extras(removable, rng)
    copies = [1] * count
    for index, extra in zip(rng.sample(range(count), len(extras)), extras, strict=True):
        copies[index] += extra
    variations: Counter[str] = Counter()
    entries: list[tuple[_Copy, str, tuple[str, int] | None]] = []  # (copy, truth group, near-miss pair)
    for index, work in enumerate(works):
        first = _render(work, rng)
        group = f"pub-{index:07d}" if copies[index] > 1 else ""
        entries.append((first, group, work.near_miss))
        for _ in range(copies[index] - 1):
            duplicate = replace(first, people=list(first.people), keywords=list(first.keywords))
            _vary(duplicate, work, rng, variations)
            entries.append((duplicate, group, work.near_miss))
    rng.shuffle(entries)  # duplicates are never neighbours in a real set of exports
    pairs: dict[str, tuple[str, int]] = {}
    truth = truth_path(path)
    with path.open("w", encoding="utf-8") as handle, truth.open("w", newline="", encoding="utf-8") as out:
        rows = csv.writer(out, lineterminator="\n")
        rows.writerow(["source_record_id", "group"])

        def items() -> Iterator[ExportItem]:
            for number, (copy, group, pair) in enumerate(entries, start=1):
                record_id = f"gen-{number:07d}"
                rows.writerow([record_id, group])
                if pair:
                    pairs[record_id] = pair
                yield ExportItem(record_id=number, record=copy.record(record_id), source="")

        get_writer("ris").write(items(), handle)
    return GeneratedSet(path, truth, records, count, len(extras), removable, dict(near_misses), pairs,
                        dict(sorted(variations.items())))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("output", type=Path, help="RIS file to write (the truth goes to OUTPUT.truth.csv)")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    made = generate(args.output, args.records, args.seed)
    print(
        f"{made.records:,} records ({made.publications:,} publications, {made.groups:,} duplicate groups, "
        f"{made.removable:,} removable) -> {made.ris}, truth {made.truth}"
    )
    print("near misses:", ", ".join(f"{kind} {n:,}" for kind, n in sorted(made.near_misses.items())))


if __name__ == "__main__":
    main()
