"""What `load_station_f --demo` adds on the applications' side: the demo founder, with a
complete profile and no application yet (to try applying), and startups that have applied
(for staff to read)."""

import io

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.dispatch import receiver
from django.utils import translation
from django.utils.text import slugify
from pypdf import PdfWriter

from cohorts.enums import QuestionKind
from cohorts.signals import demo_loaded

from . import services
from .answers import YES
from .models import Application, Membership, Startup
from .privacy import PRIVACY_NOTICE_VERSION

DEMO_FOUNDER = {
    "email": "founder@demo.accelerator.localhost",
    "password": "demo-founder-Station-F",
    "full_name": "Camille Martin",
}


@receiver(demo_loaded)
def add_demo_founder(sender, cohort, now, **kwargs) -> list[str]:
    User = get_user_model()
    if User.objects.filter(email__iexact=DEMO_FOUNDER["email"]).exists():
        return []
    founder = User.objects.create_user(
        DEMO_FOUNDER["email"], DEMO_FOUNDER["password"], full_name=DEMO_FOUNDER["full_name"]
    )
    EmailAddress.objects.create(user=founder, email=founder.email, primary=True, verified=True)
    startup = Startup.objects.create(
        name="Lumen Legal AI",
        website="https://lumen-legal.example",
        country="FR",
        city="Paris",
        year_founded=2023,
        stage="mvp",
        team_size=4,
        legal_entity="Lumen Legal AI SAS",
        funding_raised="under_100k",
        pitch="A legal assistant for French SMEs, fine-tuned from Llama 3 and Mistral 7B on "
        "French case law, that drafts contracts and explains them in plain French.",
        foundation_models=["llama_3", "mistral_7b"],
        compute_gpu_hours_per_month=800,
        github_url="https://github.com/lumen-legal",
        hugging_face_url="https://huggingface.co/lumen-legal",
        created_by=founder,
        created_at=now,
    )
    Membership.objects.create(
        startup=startup,
        user=founder,
        role="CEO",
        linkedin_url="https://www.linkedin.com/in/camille-martin-demo",
        joined_at=now,
    )
    return [f"user {founder.email}"]


# Startups that have applied to the demo cohort, so that staff have applications to read,
# search (accents and all), filter and export on `make run`. Their founders cannot log in.
DEMO_APPLICANTS = [
    # startup, country, city, stage, models, founder, pitch
    (
        "Lumière Santé",
        "FR",
        "Lyon",
        "product",
        ["llama_3"],
        "Zoé Lefèvre",
        "Triage notes for French hospitals, drafted by a Llama 3 model fine-tuned on "
        "anonymised emergency-room records and checked by nurses.",
    ),
    (
        "Müller Robotik",
        "DE",
        "München",
        "mvp",
        ["mistral_7b"],
        "Jürgen Müller",
        "Voice instructions for warehouse robots in six European languages, on Mistral 7B "
        "running at the edge.",
    ),
    (
        "Atelier Mistral Vert",
        "FR",
        "Marseille",
        "mvp",
        ["mistral_7b", "mixtral"],
        "Anaïs Dubois",
        "Energy audits of small buildings from photos and bills, explained "
        "in plain French by Mixtral.",
    ),
    (
        "Nordljus AI",
        "SE",
        "Stockholm",
        "product",
        ["llama_3", "gemma"],
        "Björn Eriksson",
        "Customer support in the Nordic languages, with Gemma for routing and Llama 3 for "
        "answers, hosted in the EU.",
    ),
    (
        "Lisboa Legal",
        "PT",
        "Lisboa",
        "mvp",
        ["llama_2"],
        "João Silva",
        "Contract review for Portuguese SMEs, on a Llama 2 model trained on public case law.",
    ),
    (
        "École Augmentée",
        "FR",
        "Paris",
        "product",
        ["mixtral"],
        "Inès Moreau",
        "Homework feedback for secondary-school teachers, aligned with the French curriculum.",
    ),
    (
        "Céleste Climat",
        "FR",
        "Toulouse",
        "mvp",
        ["falcon"],
        "Élodie Roux",
        "Crop-yield forecasts for farm co-operatives from satellite images and weather.",
    ),
    (
        "Bodega Data",
        "ES",
        "Madrid",
        "revenue",
        ["llama_3"],
        "Chloé García",
        "Demand forecasting for independent grocers, explained as a weekly order list.",
    ),
]
DEMO_DRAFT = ("Noémie Studio", "BE", "Bruxelles", "idea", ["bloom"], "Noémie Faure",
              "Subtitles for Belgian sign-language videos.")  # fmt: skip
DEMO_APPLICANT_DOMAIN = "applicants.demo.accelerator.localhost"


def _demo_answer(question, startup: Startup):
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return f"{startup.city or 'Paris'}: a first pilot customer"
    if kind == QuestionKind.LONG_TEXT:
        return startup.pitch
    if kind == QuestionKind.SINGLE_CHOICE:
        return question.choice_list[len(startup.name) % len(question.choice_list)]
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return question.choice_list[:2]
    if kind == QuestionKind.URL:
        return f"https://{slugify(startup.name)}.example/technical-report"
    if kind == QuestionKind.NUMBER:
        return "3"
    if kind == QuestionKind.YES_NO:
        return YES
    return None  # file questions of the demo are optional


def _demo_deck() -> SimpleUploadedFile:
    writer = PdfWriter()
    for _page in range(6):
        writer.add_blank_page(width=842, height=595)
    output = io.BytesIO()
    writer.write(output)
    return SimpleUploadedFile("deck.pdf", output.getvalue(), "application/pdf")


# Two more for the cohort in review, answering in French.
DEMO_REVIEW_APPLICANTS = [
    (
        "Vigne Vision",
        "FR",
        "Bordeaux",
        "mvp",
        ["llama_3"],
        "Mathéo Girard",
        "Détection précoce des maladies de la vigne à partir de photos prises au smartphone, "
        "avec un modèle Llama 3 multimodal affiné sur 40 000 images annotées par des "
        "viticulteurs.",
    ),
    (
        "Atlas Juridique",
        "FR",
        "Nantes",
        "product",
        ["mistral_7b"],
        "Léa Fontaine",
        "Un assistant qui répond aux questions de droit du travail des TPE, sourcé article par "
        "article dans le Code du travail, hébergé en France.",
    ),
]


def _demo_startup(row, now) -> Startup:
    name, country, city, stage, models, founder_name, pitch = row
    User = get_user_model()
    email = f"{slugify(founder_name)}@{DEMO_APPLICANT_DOMAIN}"
    founder = User.objects.create_user(email, None, full_name=founder_name)
    EmailAddress.objects.create(user=founder, email=email, primary=True, verified=True)
    return services.startup_create(
        user=founder, role="CEO", name=name, country=country, city=city, stage=stage,
        foundation_models=models, pitch=pitch, year_founded=now.year - 1, team_size=3,
        funding_raised="under_100k", website=f"https://{slugify(name)}.example",
    )  # fmt: skip


# A startup of the cohort in review names someone who turns out to be the demo manager (in
# other case and spacing): the demo manager confirms the suggested conflict on the cohort's
# conflicts page.
DEMO_NAMED_CONFLICTS = {
    "Vigne Vision": {"person_name": "demo program  MANAGER", "kind": "former_colleague"},
}


def _demo_application(startup: Startup, cohort, *, submit: bool) -> Application:
    founder = startup.memberships.first().user
    application = services.application_start(startup=startup, cohort=cohort, user=founder)
    named = DEMO_NAMED_CONFLICTS.get(startup.name)
    if named:
        services.named_conflict_add(application=application, user=founder, **named)
    for question in cohort.questions.all():
        value = _demo_answer(question, startup)
        if value is not None:
            services.answer_save(application=application, question=question, value=value,
                                 base_version=0, user=founder)  # fmt: skip
    services.pitch_deck_upload(application=application, upload=_demo_deck(), user=founder)
    if submit:
        services.application_submit(application=application, user=founder,
                                    privacy_notice_version=PRIVACY_NOTICE_VERSION)  # fmt: skip
    return application


@receiver(demo_loaded)
def add_demo_applications(sender, cohort, now, review_cohort=None, **kwargs) -> list[str]:
    done = []
    with translation.override("en"):
        if not Membership.objects.filter(
            user__email__endswith=f"@{DEMO_APPLICANT_DOMAIN}"
        ).exists():
            for row in DEMO_APPLICANTS:
                _demo_application(_demo_startup(row, now), cohort, submit=True)
            _demo_application(_demo_startup(DEMO_DRAFT, now), cohort, submit=False)
            done.append(
                f"{len(DEMO_APPLICANTS)} submitted applications and a draft in the demo cohort"
            )
        if review_cohort is not None and not review_cohort.applications.exists():
            names = [row[0] for row in [*DEMO_APPLICANTS, DEMO_DRAFT]]
            startups = list(Startup.objects.filter(name__in=names).order_by("pk"))
            startups += [_demo_startup(row, now) for row in DEMO_REVIEW_APPLICANTS]
            startups += list(
                Startup.objects.filter(memberships__user__email__iexact=DEMO_FOUNDER["email"])
            )
            for startup in startups:
                _demo_application(startup, review_cohort, submit=True)
            done.append(f"{len(startups)} submitted applications in the demo cohort in review")
    return done
