"""The demo founder that `load_station_f --demo` adds, with a complete profile."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.dispatch import receiver

from cohorts.signals import demo_loaded

from .models import Membership, Startup

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
