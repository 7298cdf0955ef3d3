<?php
// Submits Moodle's SCORM activity form (mod/scorm/mod_form.php) as a teacher's browser would,
// for add_scorm.php and update_package.php.
//
// course/modedit.php builds the form from the activity's current data (new: from
// prepare_new_moduleinfo_data(), which applies the site's default completion; existing: from
// get_moduleinfo_data()), set_data() runs the form's data_preprocessing(), and the form's own
// setDefault() calls fill in each scorm setting from get_config('scorm'). We read the values the
// untouched form holds, change only the fields the teacher would, post them with
// moodleform::mock_submit() and call get_data(), which validates them (for a local package that
// includes scorm_validate_package()) and runs data_postprocessing(), exactly as modedit.php does.

defined('MOODLE_INTERNAL') || die();

require_once($CFG->dirroot . '/course/modlib.php');
require_once($CFG->libdir . '/completionlib.php');
require_once($CFG->dirroot . '/mod/scorm/mod_form.php');

/** The SCORM form, with a way to read the values it would submit untouched. */
class learnmark_scorm_mod_form extends mod_scorm_mod_form {
    /** @var string The module (moodleform_mod guesses it from the class name, which is not mod_scorm_mod_form here). */
    protected $_modname = 'scorm';

    /** The errors validation found, by field. */
    public function errors(): array {
        return $this->_form->_errors;
    }

    /** Values the form holds before anyone changes a field (what the browser would post back). */
    public function untouched_values(): array {
        if (!$this->_definition_finalized) {
            $this->_definition_finalized = true;
            $this->definition_after_data();
        }
        $values = $this->_form->exportValues();
        // A browser also posts the fields that hold nothing: empty text, and a select's first option.
        foreach ($this->_form->_elements as $element) {
            $name = $element->getName();
            if ($name === null || $name === '' || array_key_exists($name, $values) || $element->isFrozen()) {
                continue;
            }
            $type = $element->getType();
            if (in_array($type, ['text', 'hidden', 'textarea'], true)) {
                $values[$name] = '';
            } else if ($type === 'select' && !$element->getMultiple() && $element->_options) {
                $values[$name] = $element->_options[0]['attr']['value'];
            }
        }
        // Optional date selectors post their parts, not the timestamp exported; left out, they stay off.
        foreach (['timeopen', 'timeclose', 'completionexpected'] as $field) {
            if (isset($values[$field]) && !is_array($values[$field])) {
                unset($values[$field]);
            }
        }
        unset($values['sesskey'], $values['_qf__' . $this->_formname]);
        return $values;
    }
}

/**
 * Opens the form on $data, applies $change to the values it would post, submits them.
 *
 * @param stdClass $data what modedit.php gives the form (see above)
 * @param callable $change function(array &$post): void, the teacher's edits
 * @return array [stdClass $fromform (get_data()), learnmark_scorm_mod_form $form]
 */
function lm_submit_scorm_form(stdClass $data, $section, $cm, stdClass $course, callable $change): array {
    $form = new learnmark_scorm_mod_form($data, $section, $cm, $course);
    $form->set_data($data);
    $post = $form->untouched_values();
    $change($post);
    $post['submitbutton'] = get_string('savechangesanddisplay');

    learnmark_scorm_mod_form::mock_submit($post);
    $_REQUEST = $_POST; // As PHP builds it for a real POST (file_get_submitted_draft_itemid() reads $_REQUEST).
    $form = new learnmark_scorm_mod_form($data, $section, $cm, $course);
    $form->set_data($data);
    $fromform = $form->get_data();
    if (!$fromform) {
        $errors = $form->errors();
        fwrite(STDERR, 'the SCORM form refused the submission: ' . json_encode($errors, JSON_UNESCAPED_SLASHES) . "\n");
        exit(3);
    }
    $fromform->frontend = true;
    return [$fromform, $form];
}

/** What the harness reports about an activity after adding or updating it. */
function lm_scorm_summary(int $cmid): array {
    global $DB;
    $cm = $DB->get_record('course_modules', ['id' => $cmid], '*', MUST_EXIST);
    $scorm = $DB->get_record('scorm', ['id' => $cm->instance], '*', MUST_EXIST);
    return [
        'cmid' => (int)$cm->id,
        'instance' => (int)$scorm->id,
        'course' => (int)$cm->course,
        'contextid' => (int)context_module::instance($cm->id)->id,
        'revision' => (int)$scorm->revision,
        'version' => $scorm->version,
        'scorm' => $scorm,
        'completion' => [
            'completion' => (int)$cm->completion,
            'completionview' => (int)$cm->completionview,
            'completionexpected' => (int)$cm->completionexpected,
            'completionstatusrequired' => $scorm->completionstatusrequired,
            'completionscorerequired' => $scorm->completionscorerequired,
            'completionstatusallscos' => (int)$scorm->completionstatusallscos,
        ],
    ];
}
