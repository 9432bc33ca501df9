"""Question templates an inquiry can start from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InquiryTemplate:
    key: str
    title: str
    code: str
    terms_of_reference: str
    questions: tuple[str, ...]


SOCIAL_CONNECTION_2020 = InquiryTemplate(
    key="social-connection",
    title="What can we learn from the COVID-19 crisis about social connection with isolated groups?",
    code="SCI",
    terms_of_reference=(
        "The Social Integration All Party Parliamentary Group is running a short inquiry into what we can learn "
        "from the COVID-19 crisis about social connection with isolated groups: older people, those in sparsely "
        "populated rural areas, homeless people and some minority ethnic and migrant groups. We would like to "
        "hear from organisations who have worked in this area for some time, from people and new groups who have "
        "taken action in response to COVID-19, and from businesses and public services such as councils: positive "
        "examples of good practice, the challenges faced and how they were overcome."
    ),
    questions=(
        "What issues has the COVID-19 crisis raised for socially isolated groups?",
        "How are you/your organisation responding to these challenges to reach these groups?",
        "What barriers and challenges have you encountered in your work to reach and support socially isolated "
        "groups? How have you responded to these barriers and solved such problems?",
        "Is there best practice you would like to share with others working in similar situations? What doesn't "
        "work in these situations?",
        "What should the Government be doing to support you in your work to reach and support socially isolated "
        "groups? What support would be useful from other relevant groups such as councils, the NHS and other civil "
        "society bodies?",
    ),
)

TEMPLATES = {SOCIAL_CONNECTION_2020.key: SOCIAL_CONNECTION_2020}
