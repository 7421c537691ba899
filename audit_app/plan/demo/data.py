"""The seeds' improvement plan summary, "Progress update – January 2021", as written (reporting months
September to December 2020), and the actions the demo users own: literal rows the seeder walks."""

import csv
from datetime import date
from pathlib import Path

PLAN_TITLE = "Children's Services Improvement Plan"
REPORT_MONTH = date(2020, 12, 1)

OVERALL_RAG = {date(2020, 10, 1): "amber", date(2020, 11, 1): "amber", date(2020, 12, 1): "amber"}

KEY_ACHIEVEMENTS = [
    "Improved arrangements for emergency foster placements over the Christmas period, with a clear structure of emergency Foster Care and placement options for young people requiring care.",
    "An 8 Week improvement plan for the Front-Door has significantly improved timescales for children requiring Early Help support.",
    "A review by the DfE review indicated that partner agencies have noticed a real pace of change and impressive leadership in recent months.",
    "Provisional agreement with CAMHS to develop an integrated model of practice, with four CAMHS practitioners co-located in Localities from April 2022.",
]

KEY_CHALLENGES = [
    "A common challenge to all areas of improvement work is staff turnover. There has been some success in filling vacant posts, however there continues to be volatility and turnover in the agency sector.",
    "The impact of the Omicron variant is placing pressure on delivering services to children and families, in addition to the continued challenges of virtual working and increased staff sickness.",
    "A high number of Children in Care and subject to Child Protection plans continues to place pressure on the quality of front-line practice, however there has been progress in reducing unallocated workloads which will support improvement.",
]

# number, title, sponsor, lead, RAG, vision, update for the board, outcomes:
# [(expected outcome, [where are we now], [next step], RAG)]
PRIORITIES = [
    (
        1,
        "Voice and influence of children, young people and families",
        "Lisa Bursill / Janet Fraser",
        "Rachel Gillott",
        "green",
        "Every family has strengths, networks, experiences, and skills that they can bring to bear to foster positive change. By working collaboratively with children and families we increase accountability and responsibility in a way that empowers good parenting and encourages children and young people to have high expectations. We show respect for children and families by ensuring that their voice and experience is central to everything we do, and visible strategically, so that practice and service developments are attuned and responsive to both individual needs and those of the local community.",
        "We have spent the last two months gaining the feedback from parents and children which has resulted in the Top 10 Tips for workers. The poster competition has closed and the winners chosen by the Deputy Chief Officer. The posters are now being worked with to use in different documents and platforms to ensure the message and conversation sustains. The work with the parents groups has completed feedback on the PLO and is currently focussing on the s20 agreement, describing how families want us to work with them. Two workers to advocate for CIN and to drive the underlying work needed on childrens guides, and restorative work for children to be able to understand their plan, were agreed in December. They will be linked to the Participation Team to ensure cross learning across CIN, CP, CLA and SEND agendas. The MOMO system was recommissioned. The systemic tracking of feedback has concluded that although there is significant feedback, this is not held in one 'Framework' which learns systemically. It has been agreed that this will fall under the responsibility of QARSS. The group is now paused, with the different aspects moved into business as usual.",
        [
            (
                "The views and experience of young people and their families will be clearly evidenced in our quality assurance framework, leading to a much greater understanding of how to improve services in a way that really makes a difference for children",
                [
                    "After researching feedback from children, young people and parents across Childrens Services. It was concluded that there was already significant feedback but this was not collated and 'owned in one place'. It was agreed at CSLT on the 02/12/21 that the framework would be brought under the remit of QARSS.",
                    "The two parents groups are now looking at how we can use the 10 top tips practically at the end of every meeting to ensure we have met the key expectations",
                ],
                ["Parent groups to feedback using the top 10 tips in January 2021."],
                "green",
            ),
            (
                "Increasing evidence of practice making a positive impact for vulnerable children",
                [
                    "Family Group Conference has continued to change their practice with a debrief with children after each meeting to ensure they understand the family plan and they are now producing separate child friendly plans just for the child. This will have more evidence by the end of February.",
                    "QARSS IROs have evidenced that they are now sending child friendly letters to children after child protection meetings; These have been presented to SMT.",
                ],
                [
                    "Share child friendly letter examples at the next Service Development Meeting to support and cascade child specific responses."
                ],
                "green",
            ),
            (
                "Evidence of doing things differently as a result of what we are told",
                [
                    "The Childs Voice is now part of Induction for all staff",
                    "Printing and cascading of the winners of the 10 Top Tips Poster Competition, and wider usage of the images within policies and procedures.",
                ],
                [
                    "Questions that families want us to ask to 'sense check' that we are achieving the top 10 tips will be gained and cascaded throughout the system."
                ],
                "green",
            ),
        ],
    ),
    (
        2,
        "A stable, highly skilled and permanent workforce",
        "Lisa Bursill & Janet Fraser",
        "Lisa Bursill & Janet Fraser",
        "amber",
        "We are committed to working with children, young people, and their families in a restorative manner which promotes the health, well-being and good life chances for all, while focusing on protecting children and young people from harm. To do this, we require a stable, experienced, and highly skilled social care workforce with the knowledge, skills, and values to meet our commitment to vulnerable children.",
        "In September, DCC Cabinet approved the Business Case for investment in recruitment and retention, including improved salary in hard to recruit to teams, payment of Social Work England registration, improved relocation package and retention payments, as well as career progression initiatives through enhanced Academy support and career development. Implementation of these improvement measures is in progress. The “always on” rolling programme of recruitment continues and numbers of permanent staff across front line teams have increased, but the proportion of agency staff is still at 30% (as at 12th December) and the front line teams are not yet all feeling the benefit of increases in numbers of permanent staff as they await new starters and are covering sickness absences. Strengthening our retention planning and stabilising the workforce will continue to be the focus during the next period, complemented by other improvement activity (undertaken by the service & outside of this project) to ensure that we are working with the right children at the right time.",
        [
            (
                "Children and families will have stable relationships with practitioners that know them well as a result of a cohesive and comprehensive Recruitment and Retention Strategy that improves the stability and well-being of the workforce",
                [
                    "Business Case recommendations are being implemented.",
                    "Recruitment activity has continued, with improvements in total vacancy rates.",
                    "A Workforce and Recruitment Lead and Recruitment Administrator have been appointed (start 31st Jan 2022).",
                    "An internal review of experience gained from setting up 2 Frontline units has been completed, with positive feedback received from participants and their managers.",
                ],
                [
                    "Implementation of the recommendations agreed at Cabinet will be complete by the end of the financial year.",
                    "The additional posts within the Academy designed to strengthen our capacity to deliver the Recruitment and Retention strategy will start work.",
                    "Retention will continue to be the focus moving forward as workforce recruitment activity moves into a business as usual approach, focusing on permanent appointments for 2022 & also overseas and SW apprenticeships",
                    "Plans will be made for continuation and expansion of the Frontline programme in 2022.",
                ],
                "amber",
            ),
            (
                "Practitioners feel invested in through development opportunities, and are skilled, trusted and empowered to practice in creative ways that in turn empowers families to make sustainable changes",
                [
                    "Learning & Development mapped to career pathway is live",
                    "Restorative learning and development sessions have continued and we are recruiting relational practice leads and consultants.",
                    "Academy recruitment is underway.",
                ],
                [
                    "Expansion of the Academy and updated portfolios for Academy staff will provide created capacity of developing skills, wellbeing initiatives, feeling valued and supported.",
                    "Continue to embed and promote career development pathway and relational practice.",
                ],
                "amber",
            ),
        ],
    ),
    (
        3,
        "Work restoratively to support families to create sustainable changes that lead to good outcomes for children",
        None,
        None,
        "amber",
        "We want more children to live safely and happily within their families and communities. Through the Restorative Devon approach we will create whole system transformation and cultural change. Restorative practice is transformative because working with families to find their own solutions builds confidence in problem solving abilities, leading to long term resilience and sustainable change. Within this practice framework families, carers, and vulnerable children will have more relationship based, evidence informed and structured interventions which draw on restorative practice principles. Relational practice prioritises building trusted relationships with practitioners who know their children and families well, and have a continuous focus on children's experiences leading to a decrease in statutory intervention.",
        "Restorative Devon is currently recruiting a team of Restorative Coaches to work alongside practitioners and managers in a high support and high challenge framework. Two internal appointments have been made, and there has been a strong response to an external advert with interviews on 18th January 2022. Restorative Coaches will support the transfer and development of skills to the workforce, lead group supervision, and focus in on improving outcomes for children where an audit has assessed practice to require improvement.",
        [
            (
                "An organisational culture that is shaped by restorative values, and gives practitioners the permission and courage to work with families within in a high-expectation/high support approach.",
                [
                    "24 Team managers are working with an LRPC consultant on reflective and analytical supervision skills.",
                    "Additionally, two action learning sets for Team and Area Managers will begin on 21st January, working in-depth on applied approaches to restorative management.",
                    "March Masterclass sessions for staff are being planned.",
                ],
                [
                    "Review the impact of the Sector Led Improvement partnership, and discuss with the DfE an extension of the programme beyond March 2022 that will sustain the progress of the work",
                    "Rolling workforce development programme to be developed",
                ],
                "amber",
            ),
            (
                "Reduction in statutory intervention in family life, leading to a decrease in children subject to Child Protection plans and in care. An increase in the proportion of children safely reunified with their family through skilled intervention.",
                [
                    "Front-Door eight week improvement plan and time and motion study has resulted in a significant improvement in timescales for children who require an Early Help service in line with referrals now progressed within 48 hours.",
                    "A pilot intensive early help service (i-FIT) launched in November 2021.",
                ],
                [
                    "Review and strengthen practice for Children in Need to rebalance the CIN/ CP levels of need so that for an increasing number of children harm is prevented.",
                    "Expansion of the Family group Conference, and child participation service, to support family resilience.",
                ],
                "amber",
            ),
            (
                "Develop best practice and evidence informed innovation models in Devon that are aligned with Restorative practice and support good outcomes for children.",
                [
                    "Professor Jan Horwath is providing expert consultation to a DCFP working group to improve outcomes for children experiencing neglect in Devon.",
                    "Pause data analysis is complete, and has highlighted high numbers of women experiencing repeat removals",
                ],
                [
                    "Restorative Devon Framework, and toolkit will be shared with all staff by end of March 2022.",
                    "Mockingbird implementation plan",
                    "CAMHS co-location project by April 22",
                ],
                "green",
            ),
        ],
    ),
    (
        4,
        "Effective management and leadership creating system wide high ambitions and expectations for all children and young people",
        "Melissa Caslake",
        "Lisa Bursill & Janet Fraser",
        "amber",
        "To support a high achieving workforce, effective strategic relationships and deliver effective performance improvement that significantly improves outcomes for children in key areas of practice, from the first time a child needs early help, right through to children leaving our care. We will work collaboratively across the partnership to deliver on the four DCFP outcomes: children are protected from harm; are healthy; feel safe; and achieve their full potential.",
        "The quality of service to children and families following a referral has been a significant focus in this period. This has resulted in a reduction in the time that children wait for a service following a referral when Early Help is identified as the appropriate service.",
        [
            (
                "Children are protected from harm because families are offered the right help, the first time they need it, and at the most collaborative level of intervention.",
                [
                    "Threshold Document has been reviewed, which will support practitioners in consistent application of the levels of need and decision making.",
                    "Task and finish group improving strategy meeting practice and consistency",
                    "Decrease in unallocated work in Initial Response Teams",
                ],
                [
                    "Review of the overall model and configuration of Early Help, MASH and Initial response teams as part of a re-design of the Front-Door",
                    "Implement revised pre-birth protocol",
                    "Timeliness of Initial Child Protection Conferences requires improvement",
                ],
                "amber",
            ),
            (
                "Children and young people in our care, or leaving our care, are healthy, feel safe and reach their full potential",
                [
                    "Improved arrangements for emergency placements led to a qualitatively improved experience for both young people and practitioners, when an emergency placement is required.",
                    "Placement finding re-design project has commenced",
                    "Additional training on re-unification practice and permanence planned for March 2022",
                ],
                [
                    "Exploration of potential to develop two residential care homes within Devon as part of the sufficiency strategy.",
                    "Completion and implementation of the Joint Housing Protocol for Care Experienced Young People.",
                ],
                "amber",
            ),
            (
                "Efficient systems that minimise bureaucracy, and provide access to accurate and timely data which helps to build a learning organisation that knows itself and focuses relentlessly on continuous improvement for children",
                [
                    "Improved and streamlined communication with staff, including quarterly Leaders meetings that have been well received",
                    "New management reports track allocations of case work, as well as the timeliness of children being seen after a referral has been made.",
                ],
                [
                    "Closing the loop on quality assurance work to ensure impact, including an improved framework for sharing the Learning from Quality Assurance work.",
                    "Progress project plan to identify an IT solution for the Front-door that streamlines existing processes",
                ],
                "amber",
            ),
        ],
    ),
]

INDICATOR_MONTHS = [date(2020, 9, 1), date(2020, 10, 1), date(2020, 11, 1), date(2020, 12, 1)]


def _read_indicators() -> list[tuple]:
    """(area, indicator, unit, polarity, [a value for each of INDICATOR_MONTHS], England average, 'good' LA
    comparator) for each row of indicators.csv: the seed report's table, kept as a table."""
    with Path(__file__).with_name("indicators.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))[1:]
    return [
        (area, name, unit, polarity, values, england, good)
        for area, name, unit, polarity, *values, england, good in rows
    ]


INDICATORS = _read_indicators()

# (priority number, outcome position, action, owner, due in days from today, theme, audit domain, RAG)
ACTIONS = [
    (
        1,
        2,
        "Record the child's own words in every assessment and plan, and check it in monthly audits.",
        "auditor",
        -12,
        "Voice of the child",
        "voice_of_child",
        "green",
    ),
    (
        4,
        0,
        "Team managers record their rationale and direction on the file after every supervision.",
        "manager",
        30,
        "Management oversight",
        "management_oversight",
        "amber",
    ),
    (
        4,
        2,
        "Share the learning from each month's audits at the locality practice forums.",
        "qa",
        60,
        None,
        None,
        "green",
    ),
    (2, 0, "Publish the recruitment and retention offer on the careers site.", "manager", -40, None, None, "complete"),
]
