from django.urls import path

from opinions.views import surveys

urlpatterns = [
    path("", surveys.survey_list, name="surveys"),
    path("<int:pk>/", surveys.survey_detail, name="survey"),
    path("<int:pk>/thanks/", surveys.survey_thanks, name="survey-thanks"),
    path("<int:pk>/results/", surveys.survey_results, name="survey-results"),
    path("<int:pk>/results.csv", surveys.survey_results_csv, name="survey-results-csv"),
]
