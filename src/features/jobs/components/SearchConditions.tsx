import AddIcon from '@mui/icons-material/Add';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { memo, useState, type FormEvent } from 'react';
import {
  ConditionTextSchema,
  formatCondition,
  JOB_ATTRIBUTES,
  LIST_OPERATORS,
  MAX_CONDITIONS,
  operatorsFor,
  splitCondition,
  type JobAttribute,
  type SearchOperator,
} from '../../../contracts/monitor.ts';

const OPERATOR_LABEL: Record<SearchOperator, string> = {
  eq: '=',
  neq: '≠',
  lt: '<',
  gt: '>',
  like: 'like',
  'not like': 'not like',
  in: 'in',
  'not in': 'not in',
};

/** "Status not in Done, Failed" — what a condition's chip says (and reads out). */
function describe(text: string): string {
  const c = splitCondition(text);
  if (!c) return text;
  return `${c.parameter} ${OPERATOR_LABEL[c.operator as SearchOperator] ?? c.operator} ${c.values.join(', ')}`;
}

type SearchConditionsProps = {
  conditions: readonly string[];
  onChange: (conditions: string[] | undefined) => void;
};

/**
 * The monitor's search bar: any job attribute with any operator DiracX's search has,
 * ANDed; each condition is a chip (Delete or Backspace removes it), "Clear search" removes all.
 * Checked with the contract's schema before it reaches the URL (the BFF checks it again).
 */
export const SearchConditions = memo(function SearchConditions({ conditions, onChange }: SearchConditionsProps) {
  const [parameter, setParameter] = useState<JobAttribute>('Status');
  const [operator, setOperator] = useState<SearchOperator>('eq');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const operators = operatorsFor(parameter);

  const add = (e: FormEvent) => {
    e.preventDefault();
    const values = LIST_OPERATORS.includes(operator) ? value.split(',').map((v) => v.trim()) : [value.trim()];
    const text = formatCondition({ parameter, operator, values });
    const parsed = ConditionTextSchema.safeParse(text);
    if (!parsed.success) return setError(parsed.error.issues[0]!.message);
    if (conditions.length >= MAX_CONDITIONS) return setError(`at most ${MAX_CONDITIONS} conditions`);
    setError(null);
    setValue('');
    if (!conditions.includes(text)) onChange([...conditions, text]);
  };

  return (
    <Box sx={{ mb: 2 }}>
      <Box
        component="form"
        role="search"
        aria-label="Search jobs by any attribute"
        onSubmit={add}
        noValidate
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start' }}
      >
        <TextField
          select
          size="small"
          label="Attribute"
          value={parameter}
          onChange={(e) => {
            const next = e.target.value as JobAttribute;
            setParameter(next);
            if (!operatorsFor(next).includes(operator)) setOperator('eq');
          }}
          sx={{ width: 190 }}
        >
          {JOB_ATTRIBUTES.map((a) => (
            <MenuItem key={a} value={a} dense>
              {a}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label="Operator"
          value={operator}
          onChange={(e) => setOperator(e.target.value as SearchOperator)}
          sx={{ width: 120 }}
        >
          {operators.map((o) => (
            <MenuItem key={o} value={o} dense>
              {OPERATOR_LABEL[o]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          label="Value"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={Boolean(error)}
          helperText={
            error ??
            (LIST_OPERATORS.includes(operator)
              ? 'comma-separated values'
              : operator.endsWith('like')
                ? 'part of the text, or a pattern with %'
                : ' ')
          }
          sx={{ width: 240 }}
        />
        <Button type="submit" variant="outlined" startIcon={<AddIcon />} sx={{ height: 40 }}>
          Add condition
        </Button>
        {conditions.length > 0 && (
          <Button onClick={() => onChange(undefined)} sx={{ height: 40 }}>
            Clear search
          </Button>
        )}
      </Box>
      {conditions.length > 0 && (
        <Box
          component="ul"
          aria-label="Search conditions"
          sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, listStyle: 'none', p: 0, m: 0 }}
        >
          {conditions.map((c) => (
            <li key={c}>
              <Chip
                label={describe(c)}
                onDelete={() => {
                  const rest = conditions.filter((x) => x !== c);
                  onChange(rest.length ? rest : undefined);
                }}
                aria-label={`Remove condition ${describe(c)}`}
              />
            </li>
          ))}
        </Box>
      )}
    </Box>
  );
});
