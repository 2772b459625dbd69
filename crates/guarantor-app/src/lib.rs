//! guarantor's use cases: the one API the CLI and the server call, so both always give the same answer.
//!
//! Each use case takes domain values (or a scenario source) and returns a result value that serialises to the
//! JSON the interfaces print; the terminal and HTTP renderings live with their interfaces.

mod access;
mod accounts;
mod briefing;
mod compare;
mod cores;
mod cost;
mod diagnostics;
mod monitor;
mod monitor_bench;
mod movement;
mod open;
mod pledge_edit;
mod progress;
mod response;
mod rotation;
mod scenarios;
mod sessions;
mod sourcing;
mod summary;

pub use access::{
    Permission, Restrictions, Role, Viewer, WITHHELD, pledge_json, release_plan, release_pledges,
    release_response, release_summary, release_whatif,
};
pub use accounts::{
    AccountError, MIN_PASSWORD_CHARS, UserDto, disable_user, enable_user, hash_password,
    logout_all, new_token, put_user, random_hex, revoke_token, secret_hash, set_password, users,
    verify_password, viewer_of,
};
pub use briefing::{
    BriefingError, OutputFile, compare_briefing, compare_page, compare_picture, compare_tables,
    daily_briefing, daily_page, daily_pictures, daily_tables, incidents_picture, plan_briefing,
    plan_exports, plan_overlay, plan_page, plan_pictures, plan_tables, response_briefing,
    response_page, response_whatif_briefing, response_whatif_page, whatif_briefing, whatif_page,
    whatif_picture, world_label,
};
pub use compare::{
    AdditionDto, CompareReport, CoreNationDto, CoreReport, CourseError, CoursePlan, FillDto,
    OptionDto, PayerDto, ShortfallDto, compare, core, course, course_plan, course_scenario,
    course_world,
};
pub use cost::{
    CategoryDto, CostDto, EstimateDto, NationCostDto, NationMonthDto, ResponseCostDto,
    ResponseLineDto, ResponseNationDto, activity, cost_dto, cost_plan, response_cost,
};
pub use diagnostics::{CheckReport, DiagnosticDto, RelatedDto, check_report, relative_to};
/// The scenario's geography indexed for placing reports (kept by servers per scenario version).
pub use guarantor_monitor::Placer;
/// What the sourcing's secondary goals are limited to (`plan --goal-time-limit`).
pub use guarantor_sourcing::Limits as SourcingLimits;

/// The limits of a sourcing someone waits for (the server's plans, comparisons and response what-ifs): each
/// secondary goal at most 60 s. On a large scenario a goal stopped there keeps its best solution and says so
/// (`objectives.goals[].proven`), so no request or job runs for hours; the default scenario's goals close in
/// well under a second each, so its answers are the command line's, which sets no limit unless asked
/// (`--goal-time-limit`) and so gives the same bytes on every machine.
pub const INTERACTIVE_LIMITS: SourcingLimits = SourcingLimits {
    goal_seconds: Some(60.0),
    fill_only: false,
};
pub use monitor::{
    AccountDto, AttributionDto, CountDto, DailyReport, DayCountsDto, FileBytes, HISTORY_DAYS,
    HitDto, IncidentDto, IncidentsReport, Ingest, IngestError, IngestOptions, IngestReport,
    IngestedFile, LadderSiteDto, LadderStepDto, LayoutDto, LayoutError, NearestDto, PeriodTotals,
    PlaceDto, ResponseDto, WindowError, daily_report, daily_report_with, incident_ask, incidents,
    incidents_with, ingest, ladder, layout, layouts, parse_cut, refresh_incidents,
    reindex_responses, sent_layout, time_bound, time_window,
};
pub use movement::{
    BottleneckDto, ClosurePointDto, MovementDto, ReinforcementDto, StockpileMoveDto, UnitMoveDto,
    horizon_days, move_force, reinforcements,
};
pub use open::{OpenError, ScenarioSource, open, read_sources};
pub use pledge_edit::{
    Edited, Latest, PledgeEdit, PledgeEditError, Prepared, audit_entry, prepare_pledge_edit,
};
pub use progress::{Progress, Silent};
pub use response::{
    AmountsDto, Ask, CheckpointDto, ContingencyDto, ContingencyLine, DecisionDto, ElementDto,
    ExcludedDto, FastestDto, FirstDto, Hourly, LatLon, NationResponseDto, Posture, RespondError,
    ResponseReport, ResponseWhatIf, STEPS_PER_DAY, SiteResponseDto, StateResponseDto, TierDto,
    TimelinePointDto, contingencies, first_of_each, posture, response_whatif, timeline_hours,
};
pub use rotation::{
    CapabilityRotationDto, MonthDto, NationRotationDto, NotArrivedDto, RotationDto,
    RotationWarningDto, deployments, rotate_force,
};
pub use scenarios::{CheckedScenario, check_scenario, publish};
pub use sessions::{LoginError, SESSION_HOURS, Started, could_be_account, log_in, log_out};
pub use sourcing::{
    AssignmentDto, CriticalDto, ExportedInstance, FactEffectDto, GoalDto, LineDto, NationDto,
    ObjectivesDto, PlanError, PlanReport, ReasonDto, SiteDto, SourcingDto, SourcingTotals,
    StateDto, UnansweredDto, WhatIfReport, complete_plan, export_instance, plan, plan_run,
    plan_within, whatif, whatif_with_progress,
};
pub use summary::{
    CapabilityLine, DomainLine, FactLine, NationLine, PledgeCounts, SiteLine, Summary, Totals,
    primary_domain, summary,
};

/// The harnesses of the benchmark drivers under `bench/` (`guarantor closure-bench`, `guarantor monitor
/// generate` and `guarantor monitor bench`): synthetic problems, timed runs and the instances handed to the peers.
/// Not use cases — no interface but those commands calls them — so they stand apart from the API above.
pub mod bench {
    /// The movement engine's synthetic problems (for [`closure_bench`]).
    pub use guarantor_movement::synthetic::Spec as ClosureSpec;

    pub use crate::monitor_bench::{
        FeedSpec, PlaceBench, PlaceBenchRun, generate_reports, place_bench,
    };
    pub use crate::movement::{
        ClosureInstance, ClosureLink, ClosureLoad, ClosureNode, ClosureRun, closure_bench,
    };
}
