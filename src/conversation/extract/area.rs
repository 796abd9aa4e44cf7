//! Which of the six content areas a message names, with the words trainers use for
//! them ("business" = client relations and administration, "corrective exercise" =
//! exercise technique, "periodization" = program design).

use super::tokens::{Kind, Token};
use crate::rules::Area;

/// Phrases for each area, as token words. Strong phrases beat weak ones; among equals
/// the earliest in the message wins.
const STRONG: &[(Area, &str)] = &[
    (Area::Assessment, "assessment"),
    (Area::Assessment, "assessments"),
    (Area::Assessment, "posture assessment"),
    (Area::Assessment, "fitness testing"),
    (Area::Assessment, "fitness assessment"),
    (Area::Assessment, "movement screen"),
    (Area::Assessment, "movement screening"),
    (Area::Assessment, "postural analysis"),
    (Area::Assessment, "body composition"),
    (Area::ExerciseTechnique, "exercise technique"),
    (Area::ExerciseTechnique, "technique"),
    (Area::ExerciseTechnique, "techniques"),
    (Area::ExerciseTechnique, "corrective exercise"),
    (Area::ExerciseTechnique, "corrective"),
    (Area::ExerciseTechnique, "flexibility"),
    (Area::ExerciseTechnique, "mobility"),
    (Area::ExerciseTechnique, "stretching"),
    (Area::ExerciseTechnique, "kettlebell"),
    (Area::ExerciseTechnique, "olympic lifting"),
    (Area::ExerciseTechnique, "trx"),
    (Area::ExerciseTechnique, "ces"),
    (Area::ExerciseTechnique, "functional training"),
    (Area::ProgramDesign, "program design"),
    (Area::ProgramDesign, "programming"),
    (Area::ProgramDesign, "periodization"),
    (Area::ProgramDesign, "periodisation"),
    (Area::ProgramDesign, "program development"),
    (Area::ProgramDesign, "workout design"),
    (Area::Nutrition, "nutrition"),
    (Area::Nutrition, "nutritional"),
    (Area::Nutrition, "diet"),
    (Area::Nutrition, "dietary"),
    (Area::Nutrition, "supplement"),
    (Area::Nutrition, "supplements"),
    (Area::Nutrition, "supplementation"),
    (Area::Nutrition, "weight management"),
    (Area::Nutrition, "weight loss"),
    (Area::Nutrition, "macros"),
    (Area::Nutrition, "meal planning"),
    (Area::Nutrition, "hydration"),
    (Area::Nutrition, "cnc"),
    (Area::ClientRelations, "client relations"),
    (Area::ClientRelations, "business"),
    (Area::ClientRelations, "sales"),
    (Area::ClientRelations, "marketing"),
    (Area::ClientRelations, "admin"),
    (Area::ClientRelations, "administration"),
    (Area::ClientRelations, "customer service"),
    (Area::ClientRelations, "behavior change"),
    (Area::ClientRelations, "behaviour change"),
    (Area::ClientRelations, "communication"),
    (Area::ProfessionalPractice, "ethics"),
    (Area::ProfessionalPractice, "ethical"),
    (Area::ProfessionalPractice, "professional"),
    (Area::ProfessionalPractice, "professional practice"),
    (Area::ProfessionalPractice, "scope of practice"),
    (Area::ProfessionalPractice, "professional development"),
    (Area::ProfessionalPractice, "responsibility"),
    (Area::ProfessionalPractice, "liability"),
];

/// Words that usually, not always, mean an area ("form" may be a paper form).
const WEAK: &[(Area, &str)] = &[
    (Area::ExerciseTechnique, "form"),
    (Area::ExerciseTechnique, "exercise"),
    (Area::ProgramDesign, "program"),
    (Area::ProgramDesign, "programs"),
    (Area::Assessment, "testing"),
    (Area::ClientRelations, "client"),
    (Area::ClientRelations, "clients"),
];

/// The area named in `tokens`, if any.
#[must_use]
pub fn find(tokens: &[Token]) -> Option<Area> {
    earliest(tokens, STRONG).or_else(|| earliest(tokens, WEAK))
}

fn earliest(tokens: &[Token], table: &[(Area, &str)]) -> Option<Area> {
    (0..tokens.len()).find_map(|i| {
        table
            .iter()
            .filter(|(_, phrase)| matches_at(tokens, i, phrase))
            .max_by_key(|(_, phrase)| phrase.len())
            .map(|(area, _)| *area)
    })
}

fn matches_at(tokens: &[Token], i: usize, phrase: &str) -> bool {
    phrase.split(' ').enumerate().all(|(k, w)| {
        tokens
            .get(i + k)
            .is_some_and(|t| t.kind == Kind::Word && t.text == w)
    })
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    #[test]
    fn names_and_synonyms() {
        let cases = [
            ("program design", Area::ProgramDesign),
            ("periodization block", Area::ProgramDesign),
            ("business and client relations", Area::ClientRelations),
            ("sales", Area::ClientRelations),
            ("corrective exercise", Area::ExerciseTechnique),
            ("squat form clinic", Area::ExerciseTechnique),
            ("nutriton", Area::Nutrition),
            ("supplements", Area::Nutrition),
            ("posture assessment", Area::Assessment),
            ("fitness testing", Area::Assessment),
            ("scope of practice", Area::ProfessionalPractice),
            (
                "professional practice and responsibility",
                Area::ProfessionalPractice,
            ),
            ("client relations and administration", Area::ClientRelations),
            ("excercise technique", Area::ExerciseTechnique),
        ];
        for (text, want) in cases {
            assert_eq!(find(&tokenize(text)), Some(want), "{text}");
        }
    }

    #[test]
    fn every_policy_label_names_its_area() {
        for area in Area::ALL {
            assert_eq!(find(&tokenize(area.label())), Some(area), "{area}");
        }
    }

    #[test]
    fn strong_words_beat_weak_ones() {
        assert_eq!(
            find(&tokenize("exercise program for nutrition clients")),
            Some(Area::Nutrition)
        );
        assert_eq!(find(&tokenize("a course")), None);
    }
}
