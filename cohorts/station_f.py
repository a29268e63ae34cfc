"""The AI Startup Program at Station F and Meta's research community, from their announcements.

Calls open at 00:00 and close at 23:59:59 Paris time. The 2023 call's English announcement said
"until December 1st" and the French one "until the end of November": it closes on 1 December,
the later of the two, so nobody who read either is shut out.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .enums import ApplicantKind, PartnerRole, ProgramKind, QuestionKind, Region, Stage

PARIS = ZoneInfo("Europe/Paris")


def opening(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=PARIS)


def closing(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=PARIS)


def both(field: str, english: str, french: str) -> dict[str, str]:
    return {f"{field}_en": english, f"{field}_fr": french}


PARTNERS = [
    {
        "slug": "meta",
        "website": "https://ai.meta.com/",
        **both("name", "Meta", "Meta"),
        **both(
            "description",
            "Meta's Fundamental AI Research team (FAIR) publishes open models such as Llama.",
            "L’équipe de recherche fondamentale en IA de Meta (FAIR) publie des modèles ouverts "
            "comme Llama.",
        ),
    },
    {
        "slug": "hugging-face",
        "website": "https://huggingface.co/",
        **both("name", "Hugging Face", "Hugging Face"),
        **both(
            "description",
            "The platform where the machine learning community shares models, datasets and "
            "applications.",
            "La plateforme où la communauté de l’apprentissage automatique partage modèles, "
            "jeux de données et applications.",
        ),
    },
    {
        "slug": "scaleway",
        "website": "https://www.scaleway.com/",
        **both("name", "Scaleway", "Scaleway"),
        **both(
            "description",
            "The Iliad group's European cloud provider.",
            "Le fournisseur de cloud européen du groupe Iliad.",
        ),
    },
    {
        "slug": "station-f",
        "website": "https://stationf.co/",
        **both("name", "Station F", "Station F"),
        **both(
            "description",
            "The world's largest startup campus, in Paris.",
            "Le plus grand campus de startups au monde, à Paris.",
        ),
    },
]

EXAMPLE_QUESTIONS = [
    {
        "kind": QuestionKind.LONG_TEXT,
        "word_limit": 300,
        **both("label", "What are you building?", "Que construisez-vous ?"),
        **both(
            "help_text",
            "Your product, who it is for and the problem it solves.",
            "Votre produit, à qui il s’adresse et le problème qu’il résout.",
        ),
    },
    {
        "kind": QuestionKind.LONG_TEXT,
        "word_limit": 200,
        **both(
            "label",
            "Which open foundation models do you use, and how?",
            "Quels modèles de fondation ouverts utilisez-vous, et comment ?",
        ),
        **both(
            "help_text",
            "For example Llama or Mistral 7B: fine-tuning, retrieval, agents…",
            "Par exemple Llama ou Mistral 7B : fine-tuning, recherche augmentée, agents…",
        ),
    },
    {
        "kind": QuestionKind.LONG_TEXT,
        "word_limit": 150,
        **both("label", "What traction do you have?", "Quelle traction avez-vous ?"),
        **both(
            "help_text",
            "Users, pilots, revenue, growth.",
            "Utilisateurs, pilotes, chiffre d’affaires, croissance.",
        ),
    },
    {
        "kind": QuestionKind.NUMBER,
        **both(
            "label",
            "How much compute do you need, in GPU-hours per month?",
            "De combien de calcul avez-vous besoin, en heures-GPU par mois ?",
        ),
        **both("help_text", "", ""),
    },
    {
        "kind": QuestionKind.LONG_TEXT,
        "word_limit": 200,
        **both("label", "Who is on your team?", "Qui compose votre équipe ?"),
        **both(
            "help_text",
            "Founders and key people, and what each brings.",
            "Les fondateurs et les personnes clés, et ce que chacun apporte.",
        ),
    },
    {
        "kind": QuestionKind.LONG_TEXT,
        "word_limit": 200,
        **both("label", "Why this program?", "Pourquoi ce programme ?"),
        **both(
            "help_text",
            "What you expect from the mentoring, the platform and the compute.",
            "Ce que vous attendez du mentorat, de la plateforme et du calcul.",
        ),
    },
]

EXAMPLE_RUBRIC = [
    {
        "weight": 3,
        **both("name", "Use of open models", "Usage des modèles ouverts"),
        **both(
            "guidance",
            "How central and how well-founded is the use of open foundation models?",
            "Les modèles de fondation ouverts sont-ils centraux et bien employés ?",
        ),
    },
    {
        "weight": 3,
        **both("name", "Technical depth", "Profondeur technique"),
        **both(
            "guidance",
            "Does the team master the technology beyond calling an API?",
            "L’équipe maîtrise-t-elle la technologie au-delà d’un appel d’API ?",
        ),
    },
    {
        "weight": 2,
        **both("name", "Team", "Équipe"),
        **both(
            "guidance",
            "Can this team build and sell the product?",
            "Cette équipe peut-elle construire et vendre le produit ?",
        ),
    },
    {
        "weight": 2,
        **both("name", "Traction", "Traction"),
        **both(
            "guidance",
            "Evidence that people want it: users, pilots, revenue.",
            "Des preuves que le produit répond à un besoin : utilisateurs, pilotes, revenus.",
        ),
    },
]

# The short rubric of the interview stage: what a panel learns in thirty minutes.
EXAMPLE_INTERVIEW_RUBRIC = [
    {
        "weight": 2,
        **both("name", "Pitch and answers", "Pitch et réponses"),
        **both(
            "guidance",
            "Clear, honest, precise answers to the panel’s questions?",
            "Des réponses claires, honnêtes et précises aux questions du jury ?",
        ),
    },
    {
        "weight": 2,
        **both("name", "Demo", "Démo"),
        **both(
            "guidance",
            "Does the product work, live, on open models?",
            "Le produit fonctionne-t-il, en direct, sur des modèles ouverts ?",
        ),
    },
    {
        "weight": 1,
        **both("name", "Fit with the program", "Adéquation au programme"),
        **both(
            "guidance",
            "Will this team make the most of the program’s six months?",
            "Cette équipe tirera-t-elle le meilleur des six mois du programme ?",
        ),
    },
]

AI_STARTUP_PROGRAM = {
    "slug": "ai-startup-program",
    "kind": ProgramKind.ACCELERATOR,
    **both("name", "AI Startup Program", "AI Startup Program"),
    **both(
        "short_description",
        "Six months at Station F for startups building on open foundation models, with Meta, "
        "Hugging Face and Scaleway.",
        "Six mois à Station F pour les startups qui construisent sur des modèles de fondation "
        "ouverts, avec Meta, Hugging Face et Scaleway.",
    ),
    **both(
        "description",
        "An accelerator at Station F, Paris, run by Meta with Hugging Face and Scaleway, for "
        "startups whose products are built on open foundation models, or that will integrate "
        "them.\n\nEach cohort gets mentoring by Meta's FAIR researchers and engineers, "
        "Hugging Face's platform and tools, Scaleway's compute, and a place on the Station F "
        "campus.",
        "Un accélérateur à Station F, à Paris, mené par Meta avec Hugging Face et Scaleway, "
        "pour les startups dont les produits reposent sur des modèles de fondation ouverts, ou "
        "vont les intégrer.\n\nChaque promotion bénéficie du mentorat des chercheurs et "
        "ingénieurs de FAIR, de la plateforme et des outils de Hugging Face, du calcul de "
        "Scaleway et d’une place sur le campus de Station F.",
    ),
    "cohorts": [
        {
            "slug": "2023",
            "year": 2023,
            **both("name", "2023 cohort", "Promotion 2023"),
            "opens_at": opening(date(2023, 11, 8)),
            "closes_at": closing(date(2023, 12, 1)),
            "program_starts_on": date(2024, 1, 1),
            "program_ends_on": date(2024, 6, 30),
            "capacity": 5,
            "region": Region.FRANCE,
            "required_stages": [],
            **both(
                "eligibility",
                "Startups based in France whose products are built on open foundation models, "
                "or that will integrate them.",
                "Les startups basées en France dont les produits reposent sur des modèles de "
                "fondation ouverts, ou vont les intégrer.",
            ),
            **both(
                "benefits",
                "Six months at Station F, January to June 2024: mentoring by FAIR Paris, access "
                "to Hugging Face's platforms and tools, and Scaleway compute.",
                "Six mois à Station F, de janvier à juin 2024 : mentorat par FAIR Paris, accès "
                "aux plateformes et outils de Hugging Face, et calcul Scaleway.",
            ),
            "partners": [
                (
                    "meta",
                    PartnerRole.MENTORING,
                    "Mentoring by FAIR Paris researchers, engineers and PhD students.",
                    "Mentorat par les chercheurs, ingénieurs et doctorants de FAIR Paris.",
                ),
                (
                    "hugging-face",
                    PartnerRole.PLATFORM,
                    "Access to its platforms and tools.",
                    "Accès à ses plateformes et outils.",
                ),
                (
                    "scaleway",
                    PartnerRole.COMPUTE,
                    "Compute resources on the Iliad group's cloud.",
                    "Ressources de calcul sur le cloud du groupe Iliad.",
                ),
                ("station-f", PartnerRole.VENUE, "The campus in Paris.", "Le campus à Paris."),
            ],
        },
        {
            "slug": "2024",
            "year": 2024,
            **both("name", "2024 cohort", "Promotion 2024"),
            "opens_at": opening(date(2024, 6, 25)),
            "closes_at": closing(date(2024, 8, 16)),
            "program_starts_on": date(2024, 9, 1),
            "program_ends_on": date(2025, 2, 28),
            "capacity": 5,
            "region": Region.EUROPE,
            "required_stages": [Stage.MVP, Stage.PRODUCT],
            **both(
                "eligibility",
                "European startups at MVP or product stage integrating open foundation models "
                "such as Llama and Mistral 7B.",
                "Les startups européennes au stade du MVP ou du produit qui intègrent des "
                "modèles de fondation ouverts comme Llama et Mistral 7B.",
            ),
            **both(
                "benefits",
                "Six months at Station F, September 2024 to February 2025: technical mentoring "
                "by FAIR, Hugging Face's platform, and Scaleway's H100 cluster.",
                "Six mois à Station F, de septembre 2024 à février 2025 : mentorat technique "
                "par FAIR, la plateforme Hugging Face et le cluster H100 de Scaleway.",
            ),
            "partners": [
                (
                    "meta",
                    PartnerRole.MENTORING,
                    "Technical mentoring by FAIR.",
                    "Mentorat technique par FAIR.",
                ),
                (
                    "hugging-face",
                    PartnerRole.PLATFORM,
                    "Its platform, including Meta's Llama models.",
                    "Sa plateforme, y compris les modèles Llama de Meta.",
                ),
                (
                    "scaleway",
                    PartnerRole.COMPUTE,
                    "A cluster of several thousand NVIDIA H100 GPUs; data stays in the EU.",
                    "Un cluster de plusieurs milliers de GPU NVIDIA H100 ; les données restent "
                    "dans l’UE.",
                ),
                ("station-f", PartnerRole.VENUE, "The campus in Paris.", "Le campus à Paris."),
            ],
        },
    ],
}

RESEARCH_COMMUNITY = {
    "slug": "open-innovation-ai-research-community",
    "kind": ProgramKind.RESEARCH_COMMUNITY,
    **both(
        "name", "Open Innovation AI Research Community", "Open Innovation AI Research Community"
    ),
    **both(
        "short_description",
        "A member-led community of researchers on the privacy, safety and security of large "
        "language models, by Meta.",
        "Une communauté de chercheurs, animée par ses membres, sur la confidentialité, la "
        "sûreté et la sécurité des grands modèles de langage, par Meta.",
    ),
    **both("description", "", ""),
    "cohorts": [
        {
            "slug": "2024",
            "year": 2024,
            **both("name", "2024 call", "Appel 2024"),
            "opens_at": None,
            "closes_at": closing(date(2024, 9, 10)),
            "capacity": None,
            "region": Region.ANYWHERE,
            "required_stages": [],
            "applicant_kind": ApplicantKind.RESEARCH_TEAM,
            **both(
                "eligibility",
                "Research teams working on the privacy, safety and security of large language "
                "models.",
                "Les équipes de recherche qui travaillent sur la confidentialité, la sûreté et "
                "la sécurité des grands modèles de langage.",
            ),
            **both("benefits", "", ""),
            "partners": [
                ("meta", PartnerRole.CO_ORGANISER, "Runs the community.", "Anime la communauté."),
            ],
        },
    ],
}

PROGRAMS = [AI_STARTUP_PROGRAM, RESEARCH_COMMUNITY]

# One question of every kind, for the demo cohort.
# One question of each kind, none asking what the startup's profile already holds (its name,
# stage, models, links): the profile travels with every application.
DEMO_QUESTIONS = [
    {
        "kind": QuestionKind.SHORT_TEXT,
        **both("label", "Who is your first customer?", "Qui est votre premier client ?"),
    },
    EXAMPLE_QUESTIONS[0],
    {
        "kind": QuestionKind.SINGLE_CHOICE,
        **both(
            "label",
            "Which support do you need most?",
            "De quel soutien avez-vous le plus besoin ?",
        ),
        **both(
            "choices",
            "Mentoring\nCompute\nInvestors\nCustomers",
            "Mentorat\nCalcul\nInvestisseurs\nClients",
        ),
    },
    {
        "kind": QuestionKind.MULTIPLE_CHOICE,
        **both("label", "Where do you sell?", "Où vendez-vous ?"),
        **both(
            "choices",
            "France\nEurope\nNorth America\nAsia\nElsewhere",
            "France\nEurope\nAmérique du Nord\nAsie\nAilleurs",
        ),
    },
    {
        "kind": QuestionKind.URL,
        **both(
            "label",
            "Link to a technical write-up (article, paper, report)",
            "Lien vers une présentation technique (article, publication, rapport)",
        ),
    },
    EXAMPLE_QUESTIONS[3],
    {
        "kind": QuestionKind.YES_NO,
        **both(
            "label",
            "Can your team work from Station F in Paris during the program?",
            "Votre équipe peut-elle travailler depuis Station F à Paris pendant le programme ?",
        ),
    },
    {
        "kind": QuestionKind.FILE,
        "required": False,
        **both("label", "Anything else to show us", "Autre chose à nous montrer"),
    },
]

DEMO_USERS = [
    {
        "email": "admin@demo.accelerator.localhost",
        "password": "demo-admin-Station-F",
        "full_name": "Demo Admin",
        "superuser": True,
    },
    {
        "email": "manager@demo.accelerator.localhost",
        "password": "demo-manager-Station-F",
        "full_name": "Demo Program Manager",
        "manages": "ai-startup-program",
    },
]
