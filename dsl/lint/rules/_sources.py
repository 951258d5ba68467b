"""The published stretching guidance the safety rules (S1xx) rest on, cited in their docs."""

ACSM = (
    "American College of Sports Medicine, *ACSM's Guidelines for Exercise Testing and "
    "Prescription*, 11th ed., Wolters Kluwer, 2021: flexibility exercise: hold a static "
    "stretch 10-30 s (30-60 s for older adults), about 60 s in total per muscle group; PNF: "
    "a 3-6 s contraction at 20-75% of maximal voluntary contraction followed by a 10-30 s "
    "assisted stretch; stretch to the point of tightness or slight discomfort, not pain."
)
PAGE = (
    "Page P. Current concepts in muscle stretching for exercise and rehabilitation. "
    "*Int J Sports Phys Ther*. 2012;7(1):109-119."
)
SHARMAN = (
    "Sharman MJ, Cresswell AG, Riek S. Proprioceptive neuromuscular facilitation "
    "stretching: mechanisms and clinical implications. *Sports Med*. 2006;36(11):929-939."
)
BEHM = (
    "Behm DG, Blazevich AJ, Kay AD, McHugh M. Acute effects of muscle stretching on physical "
    "performance, range of motion, and injury incidence in healthy active individuals: a "
    "systematic review. *Appl Physiol Nutr Metab*. 2016;41(1):1-11."
)
